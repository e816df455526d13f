using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Worker;

/// <summary>What one in-process sync of a job did: the cycle's report and the drain's totals.</summary>
public sealed record InProcessSyncResult(CycleReport Report, WorkerTotals Totals);

/// <summary>
/// One sync of a job in one process (the CLI's <c>sync</c>): its cycle, with the queue worked alongside at the job's
/// concurrency, since a cycle sends its items in waves as the workers make room, then until nothing is left to do.
/// </summary>
public sealed class InProcessSyncRunner(JobCatalog catalog, SyncCycleRunner cycles, QueueWorker worker)
{
    /// <param name="job">The job to sync.</param>
    /// <param name="cycleEnded">Called with the cycle's report as soon as the cycle ends, while the drain goes on.</param>
    /// <param name="progress">Receives one update per handled message.</param>
    /// <param name="cancellationToken">Stops the cycle and the worker.</param>
    /// <exception cref="KeyNotFoundException">The job is not in the job file.</exception>
    public async Task<InProcessSyncResult> RunAsync(
        JobId job, Action<CycleReport>? cycleEnded = null, IProgress<WorkerProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var concurrency = catalog.Get(job).Definition.Policy.MaxConcurrency;
        var cycle = RunCycleAsync(job, cycleEnded, cancellationToken);
        try
        {
            var totals = await worker.DrainWhileAsync(concurrency, cycle, progress, cancellationToken);
            return new InProcessSyncResult(await cycle, totals);
        }
        finally
        {
            // A drain that failed leaves the cycle to end on its own terms (it never waits for room for long), not dangling.
            await cycle.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<CycleReport> RunCycleAsync(JobId job, Action<CycleReport>? cycleEnded, CancellationToken cancellationToken)
    {
        var report = await cycles.RunAsync(job, CycleOptions.Default, cancellationToken);
        cycleEnded?.Invoke(report);
        return report;
    }
}
