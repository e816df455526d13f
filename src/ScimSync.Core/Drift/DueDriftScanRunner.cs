using Azure;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Drift;

/// <summary>
/// Runs, at any scheduler tick, the drift scan of each job whose <c>policy.driftScanInterval</c> has passed. The first
/// scan of a job comes one interval after the scheduler first sees it, so a first sync is not scanned while it runs. A
/// scan is claimed by writing the next due time with the row's ETag, so of several instances exactly one scans.
/// Paused and quarantined jobs are not scanned: their cycles would not apply a repair.
/// </summary>
public sealed partial class DueDriftScanRunner(
    JobCatalog catalog,
    JobStateStore jobStates,
    DriftScanStore scans,
    DriftScanService scanner,
    TimeProvider timeProvider,
    ILogger<DueDriftScanRunner> logger)
{
    /// <summary>Runs the scans due now, one job after another; returns their reports.</summary>
    public async Task<IReadOnlyList<DriftScanReport>> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var reports = new List<DriftScanReport>();
        foreach (var job in catalog.Jobs.Where(job => job.Definition.Policy.DriftScanInterval > TimeSpan.Zero))
        {
            try
            {
                if (!await TryClaimAsync(job, cancellationToken))
                {
                    continue;
                }

                reports.Add(await scanner.ScanAsync(job.Id, plan: false, cancellationToken));
            }
            catch (Exception exception) when (exception is RequestFailedException or ScimException or HttpRequestException or InvalidOperationException)
            {
                // One job's unreachable target or storage outage leaves the others alone; its next interval tries again.
                LogScanFailed(logger, exception, job.Id);
            }
        }

        return reports;
    }

    private async Task<bool> TryClaimAsync(ProvisioningJob job, CancellationToken cancellationToken)
    {
        var state = (await jobStates.GetAsync(job.Id, cancellationToken))?.Value;
        if (state?.Status is JobStatus.Paused or JobStatus.Quarantined)
        {
            return false;
        }

        var now = timeProvider.GetUtcNow();
        var current = await scans.GetAsync(job.Id, cancellationToken);
        var next = DriftSchedule.Following(job, now);
        if (current?.Value.NextScanAt is { } due && due > now)
        {
            return false;
        }

        var claim = (current?.Value ?? new DriftScanRecord()) with { NextScanAt = next };
        var written = await scans.SaveAsync(job.Id, claim, current?.ETag, cancellationToken);

        // No record yet: the schedule starts now and the first scan is one interval away.
        return !written.IsConflict && current?.Value.NextScanAt is not null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the scheduled drift scan failed; the next interval tries again")]
    private static partial void LogScanFailed(ILogger logger, Exception exception, JobId job);
}
