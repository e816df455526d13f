using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Retention;
using ScimSync.Core.Scheduling;

namespace ScimSync.Core.Worker;

/// <summary>
/// Runs every job continuously in one process (the CLI's <c>run</c>; call <see cref="RunAsync"/> from a
/// BackgroundService): a loop that ticks <see cref="DueCycleRunner"/> every <see cref="SchedulerOptions.Tick"/> and
/// <see cref="RetentionService"/> every <see cref="RetentionOptions.Every"/>, alongside a <see cref="QueueWorker"/>
/// working the queue. What is due is decided by Core from the job state, as for the Functions timer.
/// </summary>
public sealed partial class JobScheduler(
    JobCatalog catalog,
    DueCycleRunner dueCycles,
    RetentionService retention,
    QueueWorker worker,
    IOptions<SchedulerOptions> schedulerOptions,
    IOptions<RetentionOptions> retentionOptions,
    TimeProvider timeProvider,
    ILogger<JobScheduler> logger)
{
    /// <summary>Raised after each cycle, for a host to display.</summary>
    public event EventHandler<CycleReport>? CycleCompleted;

    /// <summary>Runs cycles, the cleanup and the worker until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="workerProgress">Receives the worker's per-item updates.</param>
    /// <param name="cancellationToken">Stops scheduling and the worker.</param>
    public async Task RunAsync(IProgress<WorkerProgressUpdate>? workerProgress = null, CancellationToken cancellationToken = default)
    {
        var concurrency = catalog.Jobs.Count == 0 ? 1 : catalog.Jobs.Max(job => job.Definition.Policy.MaxConcurrency);
        var working = worker.DrainAsync(concurrency, stopWhenEmpty: false, workerProgress, cancellationToken);
        try
        {
            await TickUntilStoppedAsync(cancellationToken);
        }
        finally
        {
            await working;
        }
    }

    private async Task TickUntilStoppedAsync(CancellationToken cancellationToken)
    {
        var nextCleanup = timeProvider.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                foreach (var cycle in await dueCycles.RunDueAsync(cancellationToken))
                {
                    CycleCompleted?.Invoke(this, cycle.Report);
                }

                if (timeProvider.GetUtcNow() >= nextCleanup)
                {
                    await retention.CleanUpAsync(cancellationToken);
                    nextCleanup = timeProvider.GetUtcNow() + retentionOptions.Value.Every;
                }

                await Task.Delay(schedulerOptions.Value.Tick, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is RequestFailedException or HttpRequestException)
            {
                // Storage unreachable: the tick is lost, not the loop; the next tick asks again.
                LogTickFailed(logger, exception);
                await DelayQuietlyAsync(schedulerOptions.Value.Tick, cancellationToken);
            }
        }
    }

    private async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler tick failed; the next tick tries again")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
