using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace ScimSync.Core.State;

/// <summary>
/// Writes the rows that concurrent workers add to one table partition at about the same time in shared transactions:
/// the first write waits <see cref="Linger"/> for others, and every write asked for meanwhile, or while that
/// transaction is on its way, goes with it or with the next (up to 100 rows and about 3 MB, inside the service's
/// limits for one transaction). Each caller's task completes only when its own row is written, so no caller goes on
/// before its row is durable; when a transaction fails, its rows are written one by one, so each caller gets its own
/// answer.
/// </summary>
internal sealed class PartitionWriteBatcher
{
    private const int MaxRows = 100;
    private const long MaxBytes = 3L * 1024 * 1024;

    /// <summary>
    /// What a write waits for others to join it. A work item waits this twice (its log entry, its progress row), small
    /// beside the target's answer; with 16 items in flight it brings two rows per item down to about half a request.
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<(string Table, string Partition), Partition> _partitions = new();

    /// <summary>Inserts the row; fails as an insert does (409 when it exists).</summary>
    public Task AddAsync(TableClient table, ITableEntity entity, long approximateBytes, CancellationToken cancellationToken = default) =>
        WriteAsync(table, new TableTransactionAction(TableTransactionActionType.Add, entity), approximateBytes, cancellationToken);

    /// <summary>Inserts or replaces the row.</summary>
    public Task UpsertAsync(TableClient table, ITableEntity entity, long approximateBytes, CancellationToken cancellationToken = default) =>
        WriteAsync(table, new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity), approximateBytes, cancellationToken);

    private async Task WriteAsync(TableClient table, TableTransactionAction action, long approximateBytes, CancellationToken cancellationToken)
    {
        var key = (table.Name, action.Entity.PartitionKey);
        var partition = _partitions.GetOrAdd(key, _ => new Partition());
        var pending = new Pending(action, approximateBytes);
        bool flush;
        lock (partition.Gate)
        {
            partition.Queue.Enqueue(pending);
            flush = !partition.Flushing;
            partition.Flushing = true;
        }

        if (flush)
        {
            // Shared by every caller whose row it carries, so no caller's cancellation stops it.
            _ = Task.Run(() => FlushAsync(table, key, partition), CancellationToken.None);
        }

        await pending.Written.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FlushAsync(TableClient table, (string Table, string Partition) key, Partition partition)
    {
        await Task.Delay(Linger).ConfigureAwait(false);
        while (true)
        {
            var batch = new List<Pending>();
            lock (partition.Gate)
            {
                long bytes = 0;
                while (batch.Count < MaxRows && partition.Queue.TryPeek(out var next) && (batch.Count == 0 || bytes + next.Bytes <= MaxBytes))
                {
                    bytes += next.Bytes;
                    batch.Add(partition.Queue.Dequeue());
                }

                if (batch.Count == 0)
                {
                    partition.Flushing = false;
                    _partitions.TryRemove(KeyValuePair.Create(key, partition));
                    return;
                }
            }

            await SubmitAsync(table, batch).ConfigureAwait(false);
        }
    }

    private static async Task SubmitAsync(TableClient table, List<Pending> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(pending => pending.Action), CancellationToken.None).ConfigureAwait(false);
                batch.ForEach(pending => pending.Written.TrySetResult());
                return;
            }
            catch (Exception)
            {
                // One row's failure fails the whole transaction: write each by itself, so each caller gets its own outcome.
            }
        }

        foreach (var pending in batch)
        {
            try
            {
                if (pending.Action.ActionType == TableTransactionActionType.Add)
                {
                    await table.AddEntityAsync(pending.Action.Entity, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await table.UpsertEntityAsync(pending.Action.Entity, TableUpdateMode.Replace, CancellationToken.None).ConfigureAwait(false);
                }

                pending.Written.TrySetResult();
            }
            catch (Exception exception)
            {
                pending.Written.TrySetException(exception);
            }
        }
    }

    private sealed class Partition
    {
        public Lock Gate { get; } = new();

        public Queue<Pending> Queue { get; } = new();

        public bool Flushing { get; set; }
    }

    private sealed record Pending(TableTransactionAction Action, long Bytes)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
