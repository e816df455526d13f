using ScimSync.Core.Configuration;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Scheduling;

/// <summary>
/// When a job's next scheduled cycle is due, from its persisted state alone: an active job by its interval, a
/// quarantined job (or one holding deletions) at the next attempt its state names, a paused job never.
/// </summary>
public static class CycleSchedule
{
    /// <summary>When the job's next cycle is due; null when it never is (paused). A time in the past is due now.</summary>
    public static DateTimeOffset? DueAt(JobState? state, DateTimeOffset now)
    {
        if (state is null)
        {
            return now;
        }

        return state.Status switch
        {
            JobStatus.Paused => null,
            JobStatus.Quarantined or JobStatus.DeletionsHeld => Latest(state.NextAttemptAt, state.NextCycleAt) ?? now,
            _ => state.NextCycleAt ?? now,
        };
    }

    /// <summary>Whether the job's next cycle is due at <paramref name="now"/>.</summary>
    public static bool IsDue(JobState? state, DateTimeOffset now) => DueAt(state, now) is { } due && due <= now;

    /// <summary>When the cycle after one starting at <paramref name="now"/> is due, for an active job.</summary>
    public static DateTimeOffset Following(ProvisioningJob job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        return now + job.Definition.Policy.Interval;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? first, DateTimeOffset? second) =>
        first is { } a && second is { } b ? (a > b ? a : b) : first ?? second;
}
