using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Progress;

namespace ScimSync.Core.Worker;

/// <summary>
/// Works the queue in process (the CLI's <c>sync</c> and <c>run</c>; the Functions host uses its queue trigger
/// instead): receives messages, hands each work item to the <see cref="IWorkItemProcessor"/> with bounded
/// concurrency, and settles the message by the outcome: complete on success, skip or permanent failure; release
/// with a delay on a transient failure; quarantine the job at once and release on refused credentials; record and
/// drop poison.
/// </summary>
public sealed partial class QueueWorker(
    IWorkQueue queue,
    IWorkItemProcessor processor,
    JobHealth health,
    ProgressStore progress,
    JobCatalog catalog,
    IOptions<QueueWorkerOptions> options,
    TimeProvider timeProvider,
    ILogger<QueueWorker> logger)
{
    private const int MaxReceive = 32;
    private const int MaxConsecutiveQueueFailures = 5;
    private readonly QueueWorkerOptions _options = options.Value;

    /// <summary>
    /// Processes messages until the queue is empty (<paramref name="stopWhenEmpty"/>: items released for a short
    /// retry are waited for) or until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="maxConcurrency">Work items processed at once (1–64).</param>
    /// <param name="stopWhenEmpty">Return when nothing is left to do; otherwise keep polling.</param>
    /// <param name="cancellationToken">Stops the worker; items in flight are released by their visibility timeout.</param>
    /// <param name="progress">Receives one update per handled message, for a live progress display.</param>
    /// <returns>The totals of this drain.</returns>
    public async Task<WorkerTotals> DrainAsync(
        int maxConcurrency, bool stopWhenEmpty, IProgress<WorkerProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxConcurrency, 64);
        var run = new DrainRun(progress);
        var queueFailures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<ReceivedWorkItem> messages;
            try
            {
                messages = await queue.ReceiveAsync(Math.Min(MaxReceive, maxConcurrency * 2), _options.VisibilityTimeout, cancellationToken);
                queueFailures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                // A queue outage is not the job's fault: wait and ask again, never quarantine for it.
                LogQueueUnavailable(logger, exception);
                if (stopWhenEmpty && ++queueFailures >= MaxConsecutiveQueueFailures)
                {
                    throw;
                }

                await DelayAsync(_options.IdleDelay, cancellationToken);
                continue;
            }

            if (messages.Count == 0)
            {
                try
                {
                    await JudgeFinishedCyclesAsync(run, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var waitFor = run.ShortRetryDueAt is { } due ? due - timeProvider.GetUtcNow() : TimeSpan.Zero;
                if (stopWhenEmpty && waitFor <= TimeSpan.Zero)
                {
                    break;
                }

                await DelayAsync(waitFor > TimeSpan.Zero ? Min(waitFor, _options.IdleDelay) : _options.IdleDelay, cancellationToken);
                continue;
            }

            try
            {
                await Parallel.ForEachAsync(
                    messages,
                    new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
                    async (message, ct) => await HandleAsync(message, run, ct));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: messages not settled become visible again after their visibility timeout.
                break;
            }
        }

        return run.Totals;
    }

    private async Task HandleAsync(ReceivedWorkItem message, DrainRun run, CancellationToken cancellationToken)
    {
        if (message.Content is WorkItemReadResult.Poison poison)
        {
            var reason = $"{poison.Reason}: {poison.Detail}";
            await queue.DeadLetterAsync(message, reason, cancellationToken);
            LogPoison(logger, message.MessageId, reason);
            run.Report(null, null, WorkerDisposition.DeadLettered, reason);
            return;
        }

        var item = ((WorkItemReadResult.Readable)message.Content).Item;
        WorkItemOutcome outcome;
        try
        {
            outcome = await processor.ProcessAsync(item, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // An unexpected error is retried like a transient one; the queue's delivery limit turns a message that
            // always fails into poison, so nothing loops forever and nothing is lost.
            LogProcessorThrew(logger, exception, item.Job, item.Kind, item.SourceId);
            outcome = new WorkItemOutcome(WorkItemResult.RetryLater, $"{exception.GetType().Name}: {exception.Message}");
        }

        switch (outcome.Result)
        {
            case WorkItemResult.Succeeded or WorkItemResult.Skipped or WorkItemResult.Failed:
                await queue.CompleteAsync(message, cancellationToken);
                await RecordProgressAsync(item, outcome.Result, cancellationToken);
                run.Touch(item);
                run.Report(item, outcome.Result, WorkerDisposition.Completed, outcome.Reason);
                break;
            case WorkItemResult.RetryLater:
                var delay = outcome.RetryAfter ?? Backoff(message.DequeueCount);
                await queue.ReleaseAsync(message, delay, cancellationToken);
                if (delay <= _options.MaxWaitForRetries)
                {
                    run.WaitForRetryUntil(timeProvider.GetUtcNow() + delay);
                }

                run.Report(item, outcome.Result, WorkerDisposition.Released, outcome.Reason);
                break;
            case WorkItemResult.Unauthorized:
                // The reason is the same for every refused item of the job, so concurrent workers agree on it and
                // the job row is written once; each item's own answer from the target is in its provisioning log.
                var refusedJob = catalog.Get(item.Job);
                var why = $"The SCIM target refused the job's credentials (401/403). Check the app setting '{refusedJob.Definition.Target.TokenSetting}' named by {refusedJob.SettingPath}.target.tokenSetting (the key may be wrong, expired or regenerated), then clear the quarantine or wait for the next attempt.";
                await health.QuarantineNowAsync(item.Job, why, cancellationToken);
                var quarantineInterval = refusedJob.Definition.Policy.QuarantineInterval;
                await queue.ReleaseAsync(message, Min(quarantineInterval, TimeSpan.FromDays(6)), cancellationToken);
                run.Report(item, outcome.Result, WorkerDisposition.Released, why);
                break;
            default:
                throw new InvalidOperationException($"Unknown work item result {outcome.Result}.");
        }
    }

    private async Task RecordProgressAsync(WorkItem item, WorkItemResult result, CancellationToken cancellationToken)
    {
        var outcome = result switch
        {
            WorkItemResult.Succeeded => ItemOutcome.Done,
            WorkItemResult.Skipped => ItemOutcome.Skipped,
            _ => ItemOutcome.Failed,
        };
        try
        {
            await progress.RecordAsync(item.Job, item.CycleId, item.Id, outcome, cancellationToken);
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            // Progress is informational; the item itself is done.
            LogProgressNotRecorded(logger, exception, item.Job, item.Id);
        }
    }

    private async Task JudgeFinishedCyclesAsync(DrainRun run, CancellationToken cancellationToken)
    {
        foreach (var (job, cycleId) in run.TakeTouched())
        {
            try
            {
                await health.EvaluateCycleAsync(job, cycleId, cancellationToken);
            }
            catch (Exception exception) when (IsTransient(exception))
            {
                LogJudgeFailed(logger, exception, job, cycleId);
            }
        }
    }

    private TimeSpan Backoff(long dequeueCount)
    {
        var exponent = (int)Math.Clamp(dequeueCount - 1, 0, 20);
        var ticks = _options.BaseRetryDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= _options.MaxRetryDelay.Ticks ? _options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the loop condition ends the drain.
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Storage or network trouble that passes by itself (the Azure SDKs have already retried it).</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        Azure.RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or TimeoutException or IOException => true,
        TaskCanceledException => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The work queue is unavailable; trying again")]
    private static partial void LogQueueUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} is poison and was recorded: {Reason}")]
    private static partial void LogPoison(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job}: processing {Kind} {SourceId} threw; it will be retried")]
    private static partial void LogProcessorThrew(ILogger logger, Exception exception, JobId job, Directory.ObjectKind kind, SourceId sourceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: progress of item {ItemId} not recorded")]
    private static partial void LogProgressNotRecorded(ILogger logger, Exception exception, JobId job, string itemId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: could not judge cycle {CycleId}; the next cycle will")]
    private static partial void LogJudgeFailed(ILogger logger, Exception exception, JobId job, string cycleId);

    /// <summary>The mutable totals of one drain, shared by its concurrent handlers.</summary>
    private sealed class DrainRun(IProgress<WorkerProgressUpdate>? progress)
    {
        private readonly Lock _lock = new();
        private readonly ConcurrentDictionary<(JobId Job, string CycleId), byte> _touched = new();
        private int _succeeded, _skipped, _failed, _retryLater, _unauthorized, _deadLettered;
        private DateTimeOffset? _shortRetryDueAt;

        public WorkerTotals Totals
        {
            get
            {
                lock (_lock)
                {
                    return new WorkerTotals(_succeeded, _skipped, _failed, _retryLater, _unauthorized, _deadLettered);
                }
            }
        }

        public DateTimeOffset? ShortRetryDueAt
        {
            get
            {
                lock (_lock)
                {
                    return _shortRetryDueAt;
                }
            }
        }

        public void WaitForRetryUntil(DateTimeOffset due)
        {
            lock (_lock)
            {
                _shortRetryDueAt = _shortRetryDueAt is { } current && current > due ? current : due;
            }
        }

        public void Touch(WorkItem item) => _touched.TryAdd((item.Job, item.CycleId), 0);

        public List<(JobId Job, string CycleId)> TakeTouched()
        {
            var touched = _touched.Keys.ToList();
            foreach (var key in touched)
            {
                _touched.TryRemove(key, out _);
            }

            return touched;
        }

        public void Report(WorkItem? item, WorkItemResult? result, WorkerDisposition disposition, string? reason)
        {
            WorkerTotals totals;
            lock (_lock)
            {
                switch (result)
                {
                    case WorkItemResult.Succeeded: _succeeded++; break;
                    case WorkItemResult.Skipped: _skipped++; break;
                    case WorkItemResult.Failed: _failed++; break;
                    case WorkItemResult.RetryLater: _retryLater++; break;
                    case WorkItemResult.Unauthorized: _unauthorized++; break;
                    case null: _deadLettered++; break;
                }

                totals = new WorkerTotals(_succeeded, _skipped, _failed, _retryLater, _unauthorized, _deadLettered);
            }

            progress?.Report(new WorkerProgressUpdate(item?.Job, item, result, disposition, reason, totals));
        }
    }
}
