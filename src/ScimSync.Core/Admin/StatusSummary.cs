using System.Globalization;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Admin;

/// <summary>A job's state and durations in plain words, as the status page and the CLI say them.</summary>
public static class StatusSummary
{
    /// <summary>A duration in plain words: "5 h 3 min", "40 s".</summary>
    public static string Describe(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return "now";
        }

        if (span.TotalDays >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h");
        }

        if (span.TotalHours >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min");
        }

        return span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)span.TotalSeconds)} s");
    }

    /// <summary>The job's status in one or two sentences: why, since when, and when it next runs.</summary>
    public static string Summarize(JobState state, int staged, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = state.NextAttemptAt is { } at
            ? string.Create(CultureInfo.InvariantCulture, $" Next attempt at {at:u} (in {Describe(at - now)}).")
            : string.Empty;
        return state.Status switch
        {
            JobStatus.Active => state.LastCycle is { } last
                ? string.Create(CultureInfo.InvariantCulture, $"Active. Last cycle {last.CycleId} {last.Outcome.ToString().ToLowerInvariant()} at {(last.CompletedAt ?? last.StartedAt):u}.")
                : "Active. No cycle has run yet; the first one reads the whole directory.",
            JobStatus.Paused => $"Paused: {state.Reason ?? "by an admin."} Resume the job to run cycles again.",
            JobStatus.Quarantined => string.Create(CultureInfo.InvariantCulture,
                $"Quarantined since {state.QuarantinedSince:u}: {state.Reason} While quarantined the job runs at its quarantine interval; one successful cycle lifts it.{next}"),
            JobStatus.DeletionsHeld => string.Create(CultureInfo.InvariantCulture,
                $"{staged:N0} deprovisions held for approval: {state.Reason}{next}"),
            _ => state.Status.ToString(),
        };
    }
}
