using Azure;
using Azure.Data.Tables;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.State.Watermarks;

/// <summary>The Watermarks table: partition = job, rows <c>users</c> and <c>groups</c>.</summary>
public sealed class WatermarkStore(StateTables tables)
{
    /// <summary>The kind's watermark, or null before the first completed cycle (the next read is full).</summary>
    public async Task<Versioned<Watermark>?> GetAsync(JobId job, WatermarkKind kind, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Watermarks, cancellationToken);
        var entity = await TableWrites.GetOrNullAsync(table, JobStateStore.PartitionKey(job), RowKey(kind), cancellationToken);
        if (entity is null)
        {
            return null;
        }

        var watermark = new Watermark(
            job, kind,
            LargeStringProperty.Read(entity, "DeltaLink") ?? string.Empty,
            entity.GetDateTimeOffset("SavedAt") ?? DateTimeOffset.MinValue,
            entity.GetString("CycleId") ?? string.Empty);
        return new Versioned<Watermark>(watermark, entity.ETag);
    }

    /// <summary>
    /// Saves the watermark. <paramref name="expected"/> null inserts (conflict if one exists); otherwise the row must
    /// still have that ETag, so two cycles can never both move the watermark from the same starting point.
    /// </summary>
    public async Task<WriteResult> SaveAsync(Watermark watermark, ETag? expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        ArgumentException.ThrowIfNullOrWhiteSpace(watermark.DeltaLink);
        var entity = new TableEntity(JobStateStore.PartitionKey(watermark.Job), RowKey(watermark.Kind))
        {
            ["SavedAt"] = watermark.SavedAt,
            ["CycleId"] = watermark.CycleId,
        };
        LargeStringProperty.Write(entity, "DeltaLink", watermark.DeltaLink, $"The {watermark.Kind} deltaLink of job '{watermark.Job}'");
        var table = await tables.GetAsync(StateTable.Watermarks, cancellationToken);
        return await TableWrites.WriteAsync(table, entity, expected, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Removes the kind's watermark so the next cycle reads everything (restart). Conflict when the watermark
    /// changed since it was read.
    /// </summary>
    public async Task<WriteResult> DeleteAsync(Versioned<Watermark> watermark, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        var table = await tables.GetAsync(StateTable.Watermarks, cancellationToken);
        return await TableWrites.DeleteAsync(
            table, JobStateStore.PartitionKey(watermark.Value.Job), RowKey(watermark.Value.Kind), watermark.ETag, cancellationToken);
    }

    private static string RowKey(WatermarkKind kind) => kind switch
    {
        WatermarkKind.Users => "users",
        WatermarkKind.Groups => "groups",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown watermark kind."),
    };
}
