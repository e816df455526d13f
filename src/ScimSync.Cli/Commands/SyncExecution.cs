using System.Diagnostics;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Worker;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary>What one <c>sync</c> of a job did: the cycle's report, the drain's totals and the time taken.</summary>
public sealed record SyncExecutionResult(CycleReport Report, WorkerTotals Totals, TimeSpan Elapsed)
{
    /// <summary>The cycle ran and every item it enqueued was applied or deliberately skipped.</summary>
    public bool Succeeded =>
        Report.Status is CycleStatus.Completed or CycleStatus.CompletedWithHeldDeletions
        && Totals.Failed == 0 && Totals.Unauthorized == 0 && Totals.DeadLettered == 0;
}

/// <summary>
/// One cycle of a job with the queue drained in-process alongside, at the job's concurrency, and a live progress bar:
/// what <c>sync</c> and <c>demo</c> do. The cycle and the worker are Core's; this only shows their progress.
/// </summary>
public static class SyncExecution
{
    public static async Task<SyncExecutionResult> RunAsync(CliSession session, ProvisioningJob job, CancellationToken cancellationToken)
    {
        var output = session.Output;
        var clock = Stopwatch.StartNew();
        var result = await output.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"   {Markup.Escape(job.Id.Value)}: reading the directory", maxValue: 1).IsIndeterminate();
                var synced = await session.Get<InProcessSyncRunner>().RunAsync(
                    job.Id,
                    cycleEnded: report =>
                    {
                        task.Description = $"   {Markup.Escape(job.Id.Value)}: {report.Enqueued} work items";
                        task.MaxValue = Math.Max(1, report.Enqueued);
                        task.IsIndeterminate = false;
                    },
                    new SynchronousProgress(update => task.Value = Math.Min(task.MaxValue, update.Totals.Handled - update.Totals.RetryLater - update.Totals.Unauthorized)),
                    cancellationToken);
                task.Value = task.MaxValue;
                return synced;
            });
        output.MarkupLineInterpolated($"   Cycle {result.Report.Status}: {result.Report.Message}");
        return new SyncExecutionResult(result.Report, result.Totals, clock.Elapsed);
    }

    // Progress<T> posts to the thread pool and may report after the drain returned; the bar needs each update in order.
    private sealed class SynchronousProgress(Action<WorkerProgressUpdate> report) : IProgress<WorkerProgressUpdate>
    {
        public void Report(WorkerProgressUpdate value) => report(value);
    }
}
