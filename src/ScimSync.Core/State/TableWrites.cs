using Azure;
using Azure.Data.Tables;

namespace ScimSync.Core.State;

/// <summary>The ETag-guarded writes every store uses, mapping the service's concurrency answers to outcomes.</summary>
internal static class TableWrites
{
    /// <summary>The most rows one transaction may hold, the service's limit.</summary>
    public const int MaxTransactionSize = 100;

    /// <summary>
    /// Inserts when <paramref name="expected"/> is null (conflict if the row exists), otherwise updates only if the
    /// row still has that ETag (conflict if it changed or vanished).
    /// </summary>
    public static async Task<WriteResult> WriteAsync(
        TableClient table, ITableEntity entity, ETag? expected, TableUpdateMode mode, CancellationToken cancellationToken)
    {
        try
        {
            var response = expected is { } etag
                ? await table.UpdateEntityAsync(entity, etag, mode, cancellationToken)
                : await table.AddEntityAsync(entity, cancellationToken);
            return new WriteResult(WriteStatus.Written, response.Headers.ETag ?? default);
        }
        catch (RequestFailedException exception) when (IsConcurrencyConflict(exception))
        {
            return WriteResult.Conflict;
        }
    }

    /// <summary>Deletes the row only if it still has <paramref name="expected"/>; a vanished row is a conflict.</summary>
    public static async Task<WriteResult> DeleteAsync(
        TableClient table, string partitionKey, string rowKey, ETag expected, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, expected, cancellationToken);
            return new WriteResult(WriteStatus.Written, default);
        }
        catch (RequestFailedException exception) when (IsConcurrencyConflict(exception))
        {
            return WriteResult.Conflict;
        }
    }

    public static async Task<TableEntity?> GetOrNullAsync(
        TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Submits actions in transactions of at most 100 rows of one partition, the service's limits (Azurite does not
    /// enforce the second), partition by partition in the order each first appears.
    /// </summary>
    public static async Task SubmitInBatchesAsync(
        TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var batch in actions.GroupBy(action => action.Entity.PartitionKey, StringComparer.Ordinal).SelectMany(partition => partition.Chunk(MaxTransactionSize)))
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }

    /// <summary>Deletes every row <paramref name="filter"/> selects, whatever it holds.</summary>
    public static async Task DeleteWhereAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var rows = await table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken)
            .Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All))
            .ToListAsync(cancellationToken);
        await SubmitInBatchesAsync(table, rows, cancellationToken);
    }

    // 409: inserted by someone else first; 412: changed since read; 404: removed since read.
    public static bool IsConcurrencyConflict(RequestFailedException exception) =>
        exception.Status is 409 or 412 or 404;
}
