using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Cycle;

/// <summary>
/// Hands a cycle's work items to the queue in waves, so that it holds at most <see cref="SyncCycleOptions.MaxQueueDepth"/>
/// work items ahead of the workers, counting each message as <see cref="IWorkItemSender.ItemsPerMessage"/> items: every
/// receive and delete costs more on a long queue (on Azurite, a scan of it), and an item sent long before a worker
/// reaches it only waits. Each wave's changes are recorded before its messages
/// exist. Pacing may slow a cycle, never stop it: when the queue makes no room for <see cref="SyncCycleOptions.MaxWaveWait"/>
/// in all (no worker runs, or its messages wait out long retries), the rest is sent at once. A cycle may send in
/// several parts (see <see cref="WaveRun"/>): its waits count against one budget.
/// </summary>
public sealed partial class WaveSender(
    IWorkItemSender sender,
    JobStateStore jobStates,
    IOptions<SyncCycleOptions> options,
    TimeProvider timeProvider,
    ILogger<WaveSender> logger)
{
    /// <summary>
    /// The most items one wave records and sends: without waves (a depth of 0) or with a deep queue, a large plan
    /// still goes out a bounded wave at a time, its rows and messages never all built at once.
    /// </summary>
    private const int MaxWaveItems = 1_000;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private readonly SyncCycleOptions _options = options.Value;

    // Room in the queue is a matter of the queue's real time, whatever clock the engine's decisions run on.
    private static TimeProvider QueueClock => TimeProvider.System;

    /// <summary>Starts one cycle's sending under <paramref name="lease"/>.</summary>
    internal WaveRun Start(JobId job, CycleLease lease) => new(job, lease, timeProvider.GetUtcNow(), QueueClock.GetTimestamp());

    /// <summary>
    /// Sends <paramref name="items"/> in waves as part of <paramref name="run"/>, taking each wave off the front of the
    /// queue, so that what was sent is not held; <paramref name="recordWave"/> records each wave's changes before it is
    /// sent, and returns the wave's items as they are to be sent.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another cycle took the job's lease while this one waited.</exception>
    internal async Task SendAsync(
        WaveRun run, Queue<WorkItem> items,
        Func<IReadOnlyList<WorkItem>, CancellationToken, Task<IReadOnlyList<WorkItem>>> recordWave, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(recordWave);
        // The queue counts messages; the waves count items, as many per message as the sender packs.
        var perMessage = sender.ItemsPerMessage;
        var depth = _options.MaxQueueDepth;
        while (items.Count > 0)
        {
            var take = items.Count;
            if (depth > 0 && run.Waited < _options.MaxWaveWait && await sender.GetQueuedCountAsync(cancellationToken) is { } queued)
            {
                var room = depth - (queued * perMessage);
                if (room < Math.Min(take, depth / 2))
                {
                    await Task.Delay(PollInterval, QueueClock, cancellationToken);
                    run.Waited += PollInterval;
                    if (timeProvider.GetUtcNow() - run.RenewedAt >= _options.LeaseDuration / 3)
                    {
                        await RenewLeaseAsync(run, holder =>
                            $"The cycle lost its lease to {holder} while it waited for the queue to make room; it stopped. The items it sent stand, and the next cycle repeats the rest.",
                            cancellationToken);
                    }

                    if (run.Waited >= _options.MaxWaveWait)
                    {
                        LogGaveUpWaiting(logger, run.Job, _options.MaxWaveWait, queued, items.Count);
                    }

                    continue;
                }

                take = Math.Min(take, room);
            }

            take = Math.Min(take, MaxWaveItems);
            var taken = new WorkItem[take];
            for (var i = 0; i < take; i++)
            {
                taken[i] = items.Dequeue();
            }

            var wave = await recordWave(taken, cancellationToken);
            foreach (var batch in wave.Chunk(_options.SendBatchSize))
            {
                await sender.SendAsync(batch, cancellationToken);
            }

            run.Sent += take;
            run.Waves++;
        }
    }

    /// <summary>Says how <paramref name="run"/> went once the cycle sent its last item.</summary>
    internal void Finish(WaveRun run)
    {
        if (run.Waves > 1)
        {
            var elapsed = QueueClock.GetElapsedTime(run.StartedAt);
            LogSentInWaves(logger, run.Job, run.Sent, run.Waves, elapsed);
        }
    }

    /// <summary>Renews the lease of <paramref name="run"/>; a cycle that lost it stops, saying why with <paramref name="lost"/> (given the holder).</summary>
    /// <exception cref="InvalidOperationException">Another cycle holds the job's lease.</exception>
    internal async Task RenewLeaseAsync(WaveRun run, Func<string, string> lost, CancellationToken cancellationToken)
    {
        switch (await jobStates.RenewLeaseAsync(run.Lease, _options.LeaseDuration, cancellationToken))
        {
            case LeaseResult.HeldByOther other:
                throw new InvalidOperationException(lost(other.Lease.Holder));
            case LeaseResult.Acquired acquired:
                run.Lease = acquired.Lease;
                run.RenewedAt = timeProvider.GetUtcNow();
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: {Count} work items sent in {Waves} waves over {Elapsed}")]
    private static partial void LogSentInWaves(ILogger logger, JobId job, int count, int waves, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the queue made no room in {Limit} ({Queued} messages); the cycle's other {Remaining} work items are sent at once")]
    private static partial void LogGaveUpWaiting(ILogger logger, JobId job, TimeSpan limit, int queued, int remaining);
}
