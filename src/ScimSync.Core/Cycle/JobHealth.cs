using System.Globalization;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Progress;

namespace ScimSync.Core.Cycle;

/// <summary>
/// Puts jobs into quarantine and lifts it, with Entra's rules: at once when the target refuses the credentials;
/// when a cycle's failures dominate (<see cref="QuarantinePolicy.FailuresDominate"/>); lifted by the first retry
/// cycle whose items all finished without failures dominating. A quarantined job runs at its
/// <see cref="JobPolicy.QuarantineInterval"/>, and is paused for an admin after <see cref="QuarantinePolicyOptions.PauseAfter"/>.
/// </summary>
public sealed partial class JobHealth(
    JobStateStore states, ProgressStore progress, QuarantinePolicy policy, JobCatalog catalog, TimeProvider timeProvider, ILogger<JobHealth> logger)
{
    /// <summary>Quarantines the job now (e.g. the target answered 401/403). A paused job stays paused.</summary>
    public Task<JobState> QuarantineNowAsync(JobId job, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var interval = catalog.Get(job).Definition.Policy.QuarantineInterval;
        return states.UpdateAsync(job, state =>
        {
            if (state.Status == JobStatus.Paused || (state.Status == JobStatus.Quarantined && state.Reason == reason))
            {
                return state;
            }

            var now = timeProvider.GetUtcNow();
            if (state.Status != JobStatus.Quarantined || state.Reason != reason)
            {
                LogQuarantined(logger, job, reason);
            }

            return state with
            {
                Status = JobStatus.Quarantined,
                Reason = reason,
                QuarantinedSince = state.Status == JobStatus.Quarantined ? state.QuarantinedSince ?? now : now,
                NextAttemptAt = now + interval,
            };
        }, cancellationToken);
    }

    /// <summary>
    /// Judges the job's latest cycle once all its items have finished: quarantines the job when failures dominate,
    /// or lifts a quarantine that began before the cycle started. Returns null while items are still in flight, or
    /// when <paramref name="cycleId"/> is not the job's latest cycle.
    /// </summary>
    public async Task<JobState?> EvaluateCycleAsync(JobId job, string cycleId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cycleId);
        var counts = await progress.GetAsync(job, cycleId, cancellationToken);
        if (counts.Enqueued == 0 || counts.Remaining > 0)
        {
            return null;
        }

        var current = await states.GetAsync(job, cancellationToken);
        if (current?.Value.LastCycle?.CycleId != cycleId)
        {
            return null;
        }

        if (Dominating(counts, cycleId) is { } reason)
        {
            return await QuarantineNowAsync(job, reason, cancellationToken);
        }

        return await LiftIfRetrySucceededAsync(job, cycleId, cancellationToken);
    }

    /// <summary>
    /// Quarantines the job as soon as the failures of its cycle <paramref name="cycleId"/> dominate, while items are
    /// still in flight: a job failing wholesale stops without waiting for its queue to drain.
    /// </summary>
    public async Task QuarantineIfFailuresDominateAsync(JobId job, string cycleId, CancellationToken cancellationToken = default)
    {
        var counts = await progress.GetAsync(job, cycleId, cancellationToken);
        if (Dominating(counts, cycleId) is { } reason)
        {
            await QuarantineNowAsync(job, reason, cancellationToken);
        }
    }

    private string? Dominating(CycleProgress counts, string cycleId) =>
        policy.FailuresDominate(counts.Failed, counts.Done + counts.Skipped)
            ? string.Create(CultureInfo.InvariantCulture,
                $"{counts.Failed:N0} of {counts.Finished:N0} work items of cycle {cycleId} failed, so failures dominate (the ScimSync:Quarantine thresholds; by default Entra's: at least 5,000 failures and over 40 %, or over 40,000). Look at the provisioning logs for the most common error, fix it, then clear the quarantine or wait for the next attempt.")
            : null;

    /// <summary>
    /// Lifts the quarantine when the cycle <paramref name="cycleId"/> started after the quarantine began (it was a
    /// retry) and nothing in it was refused: one successful cycle ends quarantine, as in Entra.
    /// </summary>
    internal Task<JobState> LiftIfRetrySucceededAsync(JobId job, string cycleId, CancellationToken cancellationToken) =>
        states.UpdateAsync(job, state =>
        {
            if (state.Status != JobStatus.Quarantined || state.LastCycle is not { } last || last.CycleId != cycleId
                || state.QuarantinedSince is not { } since || since > last.StartedAt)
            {
                return state;
            }

            LogLifted(logger, job, cycleId);
            return state with { Status = JobStatus.Active, Reason = null, NextAttemptAt = null, QuarantinedSince = null };
        }, cancellationToken);

    /// <summary>
    /// When a quarantined job runs next: its quarantine interval after now, or paused for an admin once it has been
    /// quarantined too long.
    /// </summary>
    internal JobState ScheduleNextAttempt(JobState state, ProvisioningJob job)
    {
        if (state.Status != JobStatus.Quarantined)
        {
            return state;
        }

        var now = timeProvider.GetUtcNow();
        if (state.QuarantinedSince is { } since && policy.MustPause(since, now))
        {
            return state with
            {
                Status = JobStatus.Paused,
                NextAttemptAt = null,
                Reason = string.Create(CultureInfo.InvariantCulture,
                    $"Paused after being quarantined since {since:u} without a successful cycle. Last reason: {state.Reason} Fix the cause, then resume or restart the job."),
            };
        }

        return state with { NextAttemptAt = now + job.Definition.Policy.QuarantineInterval };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} quarantined: {Reason}")]
    private static partial void LogQuarantined(ILogger logger, JobId job, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} left quarantine: cycle {CycleId} succeeded")]
    private static partial void LogLifted(ILogger logger, JobId job, string cycleId);
}
