using Azure;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Scheduling;

/// <summary>
/// Runs, at any tick (a timer every minute, the <c>run</c> loop), the cycle of each job that is due by
/// <see cref="CycleSchedule"/>. A job is claimed before its cycle runs by writing its next due time to its state row
/// with the row's ETag, so of several instances ticking at once exactly one runs it; the cycle lease still keeps a
/// manual <c>sync</c> and a scheduled cycle apart. The tick then runs the drift scans that are due
/// (<see cref="Drift.DueDriftScanRunner"/>).
/// </summary>
public sealed partial class DueCycleRunner(
    JobCatalog catalog,
    JobStateStore jobStates,
    SyncCycleRunner runner,
    Drift.DueDriftScanRunner driftScans,
    TimeProvider timeProvider,
    ILogger<DueCycleRunner> logger)
{
    /// <summary>Runs the cycles due now, side by side, and returns what each did; jobs not due are left alone.</summary>
    public async Task<IReadOnlyList<DueCycle>> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var claimed = new List<(ProvisioningJob Job, DateTimeOffset DueAt, DateTimeOffset Next)>();
        foreach (var job in catalog.Jobs)
        {
            if (await TryClaimAsync(job, cancellationToken) is { } claim)
            {
                claimed.Add((job, claim.DueAt, claim.Next));
            }
        }

        var cycles = claimed.Select(async claim =>
        {
            LogDue(logger, claim.Job.Id, claim.DueAt);
            var report = await runner.RunAsync(claim.Job.Id, CycleOptions.Default, cancellationToken);
            return new DueCycle(claim.Job.Id, claim.DueAt, claim.Next, report);
        });
        var reports = await Task.WhenAll(cycles);

        // Drift scans share the tick: their repairs are pending changes the next due cycle applies.
        await driftScans.RunDueAsync(cancellationToken);
        return reports;
    }

    private async Task<(DateTimeOffset DueAt, DateTimeOffset Next)?> TryClaimAsync(ProvisioningJob job, CancellationToken cancellationToken)
    {
        try
        {
            var current = await jobStates.GetAsync(job.Id, cancellationToken);
            var now = timeProvider.GetUtcNow();
            if (CycleSchedule.DueAt(current?.Value, now) is not { } due || due > now)
            {
                return null;
            }

            var next = CycleSchedule.Following(job, now);
            var state = (current?.Value ?? new JobState(job.Id)) with { NextCycleAt = next };
            var written = await jobStates.SaveAsync(state, current?.ETag, cancellationToken);
            if (written.IsConflict)
            {
                // Another instance claimed this tick (or an admin changed the job just now): its write wins.
                LogClaimedElsewhere(logger, job.Id);
                return null;
            }

            return (due, next);
        }
        catch (Exception exception) when (exception is RequestFailedException or AggregateException or HttpRequestException)
        {
            // A storage outage skips the job for this tick only; the next tick asks again.
            LogStateUnavailable(logger, exception, job.Id);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: cycle due at {DueAt} starts")]
    private static partial void LogDue(ILogger logger, JobId job, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Job}: another instance claimed the due cycle")]
    private static partial void LogClaimedElsewhere(ILogger logger, JobId job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: state unavailable; the due cycle waits for the next tick")]
    private static partial void LogStateUnavailable(ILogger logger, Exception exception, JobId job);
}
