using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Worker;

/// <summary>
/// Runs every job continuously in one process (the CLI's <c>run</c>; call <see cref="RunAsync"/> from a
/// BackgroundService): each job's cycle on its interval (or, while quarantined or holding deletions, at the next
/// attempt its state names), alongside a <see cref="QueueWorker"/> working the queue.
/// </summary>
public sealed partial class JobScheduler(
    JobCatalog catalog,
    SyncCycleRunner runner,
    QueueWorker worker,
    JobStateStore jobStates,
    TimeProvider timeProvider,
    ILogger<JobScheduler> logger)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    /// <summary>Raised after each cycle, for a host to display.</summary>
    public event EventHandler<CycleReport>? CycleCompleted;

    /// <summary>Runs cycles and the worker until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops scheduling and the worker.</param>
    /// <param name="workerProgress">Receives the worker's per-item updates.</param>
    public async Task RunAsync(IProgress<WorkerProgressUpdate>? workerProgress = null, CancellationToken cancellationToken = default)
    {
        var concurrency = catalog.Jobs.Count == 0 ? 1 : catalog.Jobs.Max(job => job.Definition.Policy.MaxConcurrency);
        var working = worker.DrainAsync(concurrency, stopWhenEmpty: false, workerProgress, cancellationToken);
        try
        {
            await ScheduleAsync(cancellationToken);
        }
        finally
        {
            await working;
        }
    }

    /// <summary>When each job next runs a cycle: due at once at start-up, then by its interval or its stored next attempt.</summary>
    internal async Task ScheduleAsync(CancellationToken cancellationToken)
    {
        var nextRun = catalog.Jobs.ToDictionary(job => job.Id, _ => timeProvider.GetUtcNow());
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var job in catalog.Jobs)
            {
                if (nextRun[job.Id] > timeProvider.GetUtcNow())
                {
                    continue;
                }

                CycleReport report;
                try
                {
                    report = await runner.RunAsync(job.Id, CycleOptions.Default, cancellationToken);
                    nextRun[job.Id] = await NextRunAsync(job, report, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                CycleCompleted?.Invoke(this, report);
            }

            var wait = nextRun.Values.Min() - timeProvider.GetUtcNow();
            try
            {
                await Task.Delay(wait < Tick ? (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : Tick, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task<DateTimeOffset> NextRunAsync(ProvisioningJob job, CycleReport report, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var interval = job.Definition.Policy.Interval;
        if (report.NextAttemptAt is { } next)
        {
            return next;
        }

        try
        {
            var state = (await jobStates.GetAsync(job.Id, cancellationToken))?.Value;
            return state switch
            {
                { Status: JobStatus.Paused } => now + interval, // checked again each interval; resuming needs no restart
                { NextAttemptAt: { } attempt } => attempt,
                _ => now + interval,
            };
        }
        catch (Exception exception) when (WorkItemSettlement.IsTransient(exception))
        {
            LogStateUnavailable(logger, exception, job.Id);
            return now + interval;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: state unavailable while scheduling; next cycle after the interval")]
    private static partial void LogStateUnavailable(ILogger logger, Exception exception, JobId job);
}
