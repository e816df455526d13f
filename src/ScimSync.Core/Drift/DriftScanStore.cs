using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScimSync.Core.Identity;
using ScimSync.Core.State;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Drift;

/// <summary>The job's drift scan row: partition = job in the Jobs table, row <c>drift</c>, ETag-guarded.</summary>
public sealed class DriftScanStore(StateTables tables)
{
    internal const string RowKey = "drift";

    public async Task<Versioned<DriftScanRecord>?> GetAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Jobs, cancellationToken);
        var entity = await TableWrites.GetOrNullAsync(table, JobStateStore.PartitionKey(job), RowKey, cancellationToken);
        return entity is null ? null : new Versioned<DriftScanRecord>(FromEntity(entity), entity.ETag);
    }

    /// <summary>Saves the row: inserts when <paramref name="expected"/> is null, otherwise only if it still has that ETag.</summary>
    public async Task<WriteResult> SaveAsync(JobId job, DriftScanRecord record, ETag? expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await tables.GetAsync(StateTable.Jobs, cancellationToken);
        var entity = new TableEntity(JobStateStore.PartitionKey(job), RowKey)
        {
            ["LastScanAt"] = record.LastScanAt,
            ["LastScanId"] = record.LastScanId,
            ["NextScanAt"] = record.NextScanAt,
            ["Counts"] = JsonSerializer.Serialize(record.Counts, DriftJsonContext.Default.DriftScanCounts),
        };
        LargeStringProperty.Write(entity, "Notices", JsonSerializer.Serialize(record.Notices.ToList(), DriftJsonContext.Default.ListDriftNotice),
            $"The drift notices of job '{job}'");
        return await TableWrites.WriteAsync(table, entity, expected, TableUpdateMode.Replace, cancellationToken);
    }

    private static DriftScanRecord FromEntity(TableEntity entity) => new()
    {
        LastScanAt = entity.GetDateTimeOffset("LastScanAt"),
        LastScanId = entity.GetString("LastScanId"),
        NextScanAt = entity.GetDateTimeOffset("NextScanAt"),
        Counts = entity.GetString("Counts") is { } counts ? JsonSerializer.Deserialize(counts, DriftJsonContext.Default.DriftScanCounts) ?? new() : new(),
        Notices = LargeStringProperty.Read(entity, "Notices") is { } notices
            ? JsonSerializer.Deserialize(notices, DriftJsonContext.Default.ListDriftNotice) ?? []
            : [],
    };
}
