using System.Collections.Concurrent;
using System.Threading.Channels;
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
/// instead): receives messages and keeps up to the given number of work items in flight, each slot taking the next
/// item as soon as its own is settled, so a slow request holds only its own slot. Every decision about an item is
/// <see cref="WorkItemSettlement"/>'s; once every item of a message is settled, the worker removes the delivery, or
/// puts it back when settlement asked for a redelivery of one of them.
/// </summary>
public sealed partial class QueueWorker(
    IWorkQueue queue,
    WorkItemSettlement settlement,
    JobHealth health,
    IOptions<QueueWorkerOptions> options,
    ILogger<QueueWorker> logger)
{
    private const int MaxReceive = 32;
    private const int MaxConsecutiveQueueFailures = 5;
    private static readonly TimeSpan RedeliveryDelay = TimeSpan.FromSeconds(5);
    private readonly QueueWorkerOptions _options = options.Value;

    // Message visibility is the queue's real time, whatever clock the engine's decisions run on.
    private static TimeProvider QueueClock => TimeProvider.System;

    /// <summary>
    /// Processes messages until the queue is empty (<paramref name="stopWhenEmpty"/>: items re-sent for a short
    /// retry are waited for) or until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="maxConcurrency">Work items processed at once (1–64).</param>
    /// <param name="stopWhenEmpty">Return when nothing is left to do; otherwise keep polling.</param>
    /// <param name="progress">Receives one update per handled message, for a live progress display.</param>
    /// <param name="cancellationToken">Stops the worker; items in flight are released by their visibility timeout.</param>
    /// <returns>The totals of this drain.</returns>
    public Task<WorkerTotals> DrainAsync(
        int maxConcurrency, bool stopWhenEmpty, IProgress<WorkerProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        DrainAsync(maxConcurrency, stopWhenEmpty ? Task.CompletedTask : null, progress, cancellationToken);

    /// <summary>
    /// Processes messages while <paramref name="sending"/> runs (a cycle that sends its items in waves, which waits for
    /// this worker to make room), then until the queue is empty.
    /// </summary>
    /// <param name="maxConcurrency">Work items processed at once (1–64).</param>
    /// <param name="sending">What fills the queue; the drain may end once it has finished and nothing is left to do.</param>
    /// <param name="progress">Receives one update per handled message, for a live progress display.</param>
    /// <param name="cancellationToken">Stops the worker; items in flight are released by their visibility timeout.</param>
    /// <returns>The totals of this drain.</returns>
    public Task<WorkerTotals> DrainWhileAsync(
        int maxConcurrency, Task sending, IProgress<WorkerProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sending);
        return DrainAsync(maxConcurrency, sending, progress, cancellationToken);
    }

    /// <param name="stopWhenEmptyAfter">Once this has finished, the drain ends when nothing is left; null: it never does.</param>
    private async Task<WorkerTotals> DrainAsync(
        int maxConcurrency, Task? stopWhenEmptyAfter, IProgress<WorkerProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxConcurrency, 64);
        using var run = new DrainRun(progress);
        var buffer = Channel.CreateBounded<ItemInFlight>(maxConcurrency);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var slots = Enumerable.Range(0, maxConcurrency)
            .Select(_ => Task.Run(() => WorkSlotAsync(buffer.Reader, run, stopping.Token), CancellationToken.None))
            .ToList();
        try
        {
            await ReceiveLoopAsync(buffer.Writer, run, maxConcurrency, stopWhenEmptyAfter, stopping.Token);
        }
        finally
        {
            buffer.Writer.TryComplete();
            try
            {
                await Task.WhenAll(slots);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: messages not settled become visible again after their visibility timeout.
            }
        }

        return run.Totals;
    }

    private async Task ReceiveLoopAsync(ChannelWriter<ItemInFlight> buffer, DrainRun run, int maxConcurrency, Task? stopWhenEmptyAfter, CancellationToken cancellationToken)
    {
        var queueFailures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Receive only what free slots can take soon, so messages are not hidden from other workers while they wait here,
            // and only once half the slots' worth is free, so that one request receives several items.
            var free = (maxConcurrency * 2) - run.InFlight;
            if (free < Math.Max(1, maxConcurrency / 2))
            {
                await run.WaitForSlotAsync(cancellationToken);
                continue;
            }

            // Asked before receiving: what is sent after an empty receive must not be missed.
            var mayStop = stopWhenEmptyAfter?.IsCompleted == true;
            IReadOnlyList<ReceivedWorkMessage> messages;
            try
            {
                var count = Math.Clamp(free / run.LargestMessage, 1, MaxReceive);
                messages = await queue.ReceiveAsync(count, _options.VisibilityTimeout, cancellationToken);
                queueFailures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (WorkItemSettlement.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                // A queue outage is not the job's fault: wait and ask again, never quarantine for it.
                LogQueueUnavailable(logger, exception);
                if (mayStop && ++queueFailures >= MaxConsecutiveQueueFailures)
                {
                    throw;
                }

                await DelayAsync(_options.IdleDelay, cancellationToken);
                continue;
            }

            if (messages.Count == 0)
            {
                if (run.InFlight > 0)
                {
                    await run.WaitForSlotAsync(cancellationToken, _options.IdleDelay);
                    continue;
                }

                await JudgeFinishedCyclesAsync(run, cancellationToken);
                var waitFor = run.ShortRetryDueAt is { } due ? due - QueueClock.GetUtcNow() : TimeSpan.Zero;
                if (waitFor <= TimeSpan.Zero && mayStop)
                {
                    return;
                }

                var idle = DelayAsync(waitFor > TimeSpan.Zero ? Min(waitFor, _options.IdleDelay) : _options.IdleDelay, cancellationToken);
                // What fills the queue finishing is worth a look at once: a sync with nothing to do ends with its cycle.
                await (stopWhenEmptyAfter is { IsCompleted: false } sending ? Task.WhenAny(idle, sending) : idle);
                continue;
            }

            try
            {
                foreach (var message in messages)
                {
                    var delivery = new DeliveryInFlight(message);
                    run.Received(message.Entries.Count);
                    foreach (var entry in message.Entries)
                    {
                        await buffer.WriteAsync(new ItemInFlight(delivery, entry), cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: messages not yet settled become visible again after their visibility timeout.
                return;
            }
        }
    }

    private async Task WorkSlotAsync(ChannelReader<ItemInFlight> buffer, DrainRun run, CancellationToken cancellationToken)
    {
        await foreach (var item in buffer.ReadAllAsync(cancellationToken))
        {
            try
            {
                await HandleAsync(item, run, cancellationToken);
            }
            catch (Exception exception) when (WorkItemSettlement.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                // The delivery could not be removed or put back: it reappears after its visibility timeout.
                LogQueueUnavailable(logger, exception);
            }
            finally
            {
                run.Finished();
            }
        }
    }

    private async Task HandleAsync(ItemInFlight inFlight, DrainRun run, CancellationToken cancellationToken)
    {
        var (delivery, entry) = inFlight;
        var message = delivery.Message;
        Settlement settled;
        try
        {
            settled = await settlement.SettleAsync(new IncomingWorkMessage(message.MessageId, entry.Body, message.DequeueCount), entry.Content, cancellationToken);
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            // Not settled: the message must not be removed; the last of its items puts it back.
            if (delivery.SettledOne(redeliver: true))
            {
                await SettleDeliveryAsync(delivery, run, cancellationToken);
            }

            throw;
        }

        if (delivery.SettledOne(settled.Redeliver))
        {
            await SettleDeliveryAsync(delivery, run, cancellationToken);
        }

        if (settled.Delay is { } delay && delay <= _options.MaxWaitForRetries)
        {
            run.WaitForRetryUntil(QueueClock.GetUtcNow() + delay);
        }

        if (settled.Item is { } item && settled.Kind == SettlementKind.Completed)
        {
            run.Touch(item);
        }

        var disposition = settled.Kind switch
        {
            SettlementKind.Completed when !settled.Redeliver => WorkerDisposition.Completed,
            SettlementKind.Poisoned => WorkerDisposition.DeadLettered,
            _ => WorkerDisposition.Released,
        };
        run.Report(settled.Item, settled.Result, disposition, settled.Reason);
    }

    /// <summary>Removes a message whose items are all settled, or puts it back when one of them asked for a redelivery.</summary>
    private async Task SettleDeliveryAsync(DeliveryInFlight delivery, DrainRun run, CancellationToken cancellationToken)
    {
        if (delivery.Redeliver)
        {
            await queue.ReleaseAsync(delivery.Message, RedeliveryDelay, cancellationToken);
            run.WaitForRetryUntil(QueueClock.GetUtcNow() + RedeliveryDelay);
        }
        else
        {
            await queue.CompleteAsync(delivery.Message, cancellationToken);
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
            catch (Exception exception) when (WorkItemSettlement.IsTransient(exception))
            {
                LogJudgeFailed(logger, exception, job, cycleId);
            }
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, QueueClock, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the loop condition ends the drain.
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The work queue is unavailable; trying again")]
    private static partial void LogQueueUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: could not judge cycle {CycleId}; the next cycle will")]
    private static partial void LogJudgeFailed(ILogger logger, Exception exception, JobId job, string cycleId);

    /// <summary>The mutable totals of one drain, shared by its concurrent handlers.</summary>
    private sealed class DrainRun(IProgress<WorkerProgressUpdate>? progress) : IDisposable
    {
        private readonly Lock _lock = new();
        private readonly ConcurrentDictionary<(JobId Job, string CycleId), byte> _touched = new();
        private readonly SemaphoreSlim _slotFreed = new(0);
        private int _inFlight;
        private int _largestMessage;
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

        public void Dispose() => _slotFreed.Dispose();

        /// <summary>Work items received and not yet settled.</summary>
        public int InFlight => Volatile.Read(ref _inFlight);

        /// <summary>The most work items a message received in this drain carried, so a receive asks for what the slots can take.</summary>
        public int LargestMessage => Math.Max(1, Volatile.Read(ref _largestMessage));

        public void Received(int items)
        {
            Interlocked.Add(ref _inFlight, items);
            if (items > Volatile.Read(ref _largestMessage))
            {
                Volatile.Write(ref _largestMessage, items);
            }
        }

        public void Finished()
        {
            Interlocked.Decrement(ref _inFlight);
            _slotFreed.Release();
        }

        /// <summary>Waits until an item in flight is settled (or <paramref name="atMost"/> passes).</summary>
        public async Task WaitForSlotAsync(CancellationToken cancellationToken, TimeSpan? atMost = null)
        {
            try
            {
                await _slotFreed.WaitAsync(atMost ?? Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the receive loop ends.
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
                if (disposition == WorkerDisposition.DeadLettered)
                {
                    _deadLettered++;
                }
                else
                {
                    switch (result)
                    {
                        case WorkItemResult.Succeeded: _succeeded++; break;
                        case WorkItemResult.Skipped: _skipped++; break;
                        case WorkItemResult.Failed: _failed++; break;
                        case WorkItemResult.RetryLater or WorkItemResult.TargetUnavailable: _retryLater++; break;
                        case WorkItemResult.Unauthorized: _unauthorized++; break;
                        case null: _deadLettered++; break;
                    }
                }

                totals = new WorkerTotals(_succeeded, _skipped, _failed, _retryLater, _unauthorized, _deadLettered);
            }

            progress?.Report(new WorkerProgressUpdate(item?.Job, item, result, disposition, reason, totals));
        }
    }

    /// <summary>One work item of a received message, on its way to a slot.</summary>
    private sealed record ItemInFlight(DeliveryInFlight Delivery, WorkMessageEntry Entry);

    /// <summary>A received message whose items are being settled; the last one settles the delivery.</summary>
    private sealed class DeliveryInFlight(ReceivedWorkMessage message)
    {
        private int _unsettled = message.Entries.Count;
        private int _redeliver;

        public ReceivedWorkMessage Message { get; } = message;

        public bool Redeliver => Volatile.Read(ref _redeliver) == 1;

        /// <summary>Counts one item settled; true when it was the message's last.</summary>
        public bool SettledOne(bool redeliver)
        {
            if (redeliver)
            {
                Volatile.Write(ref _redeliver, 1);
            }

            return Interlocked.Decrement(ref _unsettled) == 0;
        }
    }
}
