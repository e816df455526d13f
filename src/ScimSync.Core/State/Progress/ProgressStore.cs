using Azure.Data.Tables;
using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Progress;

/// <summary>
/// Per-cycle progress counters in the Progress table, partition = job + cycle.
/// </summary>
/// <remarks>
/// A single counter row would be a hot row: every worker finishing an item would read-modify-write it under ETag,
/// and with dozens of concurrent workers most writes would conflict and retry. Instead each finished item writes its
/// own row, keyed by its deterministic work-item id, and the counts are aggregated when read. That has no contention
/// at all, and it is exact under at-least-once delivery: an item delivered twice, or retried after a failure,
/// overwrites its own row, so it is counted once, with its latest outcome. Reading costs one partition scan of
/// small rows (1,000 per page) selecting only the outcome column; progress is read by the status page and at the end
/// of a cycle, far less often than it is written. The enqueued total is one row written by the cycle alone. Rows that
/// concurrent workers record at about the same time share one transaction (<see cref="PartitionWriteBatcher"/>).
/// </remarks>
public sealed class ProgressStore(StateTables tables, TimeProvider timeProvider)
{
    // Sorts before the hex work-item ids, and cannot be one.
    private const string EnqueuedRowKey = "!enqueued";

    private readonly PartitionWriteBatcher _batcher = new();

    /// <summary>Records how many items the cycle enqueued (the cycle's total; written again it is replaced).</summary>
    public async Task SetEnqueuedAsync(JobId job, string cycleId, int enqueued, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(enqueued);
        var table = await tables.GetAsync(StateTable.Progress, cancellationToken);
        // Unconditional by design: the cycle is the row's only writer and the value is a total, not an increment.
        await table.UpsertEntityAsync(
            new TableEntity(PartitionKey(job, cycleId), EnqueuedRowKey) { ["Enqueued"] = enqueued, ["At"] = timeProvider.GetUtcNow() },
            TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Records how one work item ended. Recording the same item again replaces its earlier outcome.</summary>
    public async Task RecordAsync(JobId job, string cycleId, string workItemId, ItemOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workItemId);
        var table = await tables.GetAsync(StateTable.Progress, cancellationToken);
        // Unconditional by design: the row belongs to one work item, and its latest outcome is the one that counts.
        await _batcher.UpsertAsync(
            table,
            new TableEntity(PartitionKey(job, cycleId), TableKey.Compose(workItemId)) { ["Outcome"] = outcome.ToString(), ["At"] = timeProvider.GetUtcNow() },
            approximateBytes: 512, cancellationToken);
    }

    /// <summary>The cycle's progress, aggregated from the item rows.</summary>
    public async Task<CycleProgress> GetAsync(JobId job, string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Progress, cancellationToken);
        int enqueued = 0, done = 0, failed = 0, skipped = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job, cycleId)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey", "Outcome", "Enqueued"], cancellationToken: cancellationToken))
        {
            if (row.RowKey == EnqueuedRowKey)
            {
                enqueued = row.GetInt32("Enqueued") ?? 0;
                continue;
            }

            switch (row.GetString("Outcome"))
            {
                case nameof(ItemOutcome.Done): done++; break;
                case nameof(ItemOutcome.Failed): failed++; break;
                case nameof(ItemOutcome.Skipped): skipped++; break;
            }
        }

        return new CycleProgress(job, cycleId, enqueued, done, failed, skipped);
    }

    /// <summary>Removes a cycle's progress rows once its summary is saved on the job.</summary>
    public async Task DeleteCycleAsync(JobId job, string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Progress, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job, cycleId)}");
        var actions = new List<TableTransactionAction>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, row));
        }

        await TableWrites.SubmitInBatchesAsync(table, actions, cancellationToken);
    }

    /// <summary>
    /// Deletes the progress rows written before <paramref name="cutoff"/>, except those of the cycles in
    /// <paramref name="keep"/> (each job's latest cycle, which the status page shows however old it is).
    /// </summary>
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> DeleteOlderThanAsync(
        DateTimeOffset cutoff, IEnumerable<(JobId Job, string CycleId)> keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var kept = keep.Select(cycle => PartitionKey(cycle.Job, cycle.CycleId)).ToHashSet(StringComparer.Ordinal);
        var table = await tables.GetAsync(StateTable.Progress, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"At lt {cutoff.UtcDateTime}");
        var old = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (!kept.Contains(row.PartitionKey))
            {
                old.Add(row);
            }
        }

        foreach (var partition in old.GroupBy(row => row.PartitionKey, StringComparer.Ordinal))
        {
            await TableWrites.SubmitInBatchesAsync(
                table, partition.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, Azure.ETag.All)), cancellationToken);
        }

        return old.Count;
    }

    private static string PartitionKey(JobId job, string cycleId) => TableKey.Compose(job.Value, cycleId);
}
