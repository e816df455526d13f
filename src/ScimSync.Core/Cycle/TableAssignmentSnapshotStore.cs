using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;

namespace ScimSync.Core.Cycle;

/// <summary>
/// Keeps each job's last assignment snapshot in the Assignments table: partition = job, the assignments packed into
/// a few rows of one generation (<see cref="PackedRows"/>), and a marker row naming the generation that is the
/// snapshot. A save writes a new generation, then moves the marker to it in one write, then deletes the old rows,
/// so a save cut short leaves the last snapshot whole. An unchanged snapshot is not written at all.
/// </summary>
/// <remarks>
/// Rows of one assignment each, the layout before assignments were packed, are the snapshot while the marker names
/// no generation; the next save replaces them.
/// </remarks>
public sealed class TableAssignmentSnapshotStore(StateTables tables) : IAssignmentSnapshotStore
{
    // Names the generation that is the snapshot, and keeps "an empty snapshot was saved" apart from "never saved" (an
    // app with no assignments). Sorts before every escaped id, and cannot be one (a row of one assignment has a
    // composite key).
    private const string MarkerRow = "!snapshot";
    private const string GenerationProperty = "Generation";
    private const string GenerationRowPrefix = "!generation-";
    private const char UserMark = 'u';
    private const char GroupMark = 'g';
    private const int RoleLength = 36;

    /// <inheritdoc />
    public async Task<AssignmentSnapshot?> GetAsync(JobId job, CancellationToken cancellationToken = default) =>
        (await ReadAsync(job, cancellationToken)).Snapshot;

    /// <inheritdoc />
    public async Task SaveAsync(JobId job, AssignmentSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var stored = await ReadAsync(job, cancellationToken);
        var table = await tables.GetAsync(StateTable.Assignments, cancellationToken);
        var generation = stored.Generation;
        if (stored.Snapshot is not { } previous || generation is null
            || !previous.Assignments.ToHashSet().SetEquals(snapshot.Assignments))
        {
            // In a stable order, each entry's text built as its row is packed: a large app's are never all in memory at once.
            var entries = snapshot.Assignments.Distinct()
                .OrderBy(assignment => assignment.PrincipalKind)
                .ThenBy(assignment => assignment.AppRoleId)
                .ThenBy(assignment => assignment.PrincipalId.Value, StringComparer.Ordinal)
                .Select(Entry);
            generation = Guid.NewGuid().ToString("N");
            await PackedRows.UpsertAsync(table, PackedRows.Pack(entries).Select((packed, number) =>
                new TableEntity(PartitionKey(job), $"{GenerationRowPrefix}{generation}-{number:D5}") { [PackedRows.Property] = packed }), cancellationToken);
            await table.UpsertEntityAsync(new TableEntity(PartitionKey(job), MarkerRow) { [GenerationProperty] = generation }, TableUpdateMode.Replace, cancellationToken);
        }

        // The rows of earlier generations, and of a save cut short before it moved the marker.
        await TableWrites.SubmitInBatchesAsync(table, stored.RowKeys
            .Where(rowKey => rowKey != MarkerRow && !rowKey.StartsWith($"{GenerationRowPrefix}{generation}-", StringComparison.Ordinal))
            .Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(PartitionKey(job), rowKey), Azure.ETag.All)),
            cancellationToken);
    }

    /// <summary>Forgets the job's snapshot, so the next cycle treats every assignment as new (restart).</summary>
    public async Task ClearAsync(JobId job, CancellationToken cancellationToken = default) =>
        await TableWrites.DeleteWhereAsync(
            await tables.GetAsync(StateTable.Assignments, cancellationToken),
            TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job)}"),
            cancellationToken);

    private async Task<(AssignmentSnapshot? Snapshot, string? Generation, List<string> RowKeys)> ReadAsync(JobId job, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTable.Assignments, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job)}");
        var rowKeys = new List<string>();
        var packed = new List<(string RowKey, string Entries)>();
        var single = new List<AppRoleAssignment>();
        var sawMarker = false;
        string? generation = null;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rowKeys.Add(row.RowKey);
            if (row.RowKey == MarkerRow)
            {
                sawMarker = true;
                generation = row.GetString(GenerationProperty);
            }
            else if (row.GetString(PackedRows.Property) is { } entries)
            {
                packed.Add((row.RowKey, entries));
            }
            else
            {
                single.Add(new AppRoleAssignment(
                    new SourceId(row.GetString("PrincipalId") ?? string.Empty),
                    Enum.Parse<ObjectKind>(row.GetString("PrincipalKind") ?? nameof(ObjectKind.User)),
                    row.GetGuid("AppRoleId") ?? Guid.Empty));
            }
        }

        if (!sawMarker)
        {
            return (null, null, rowKeys);
        }

        if (generation is null)
        {
            return (new AssignmentSnapshot(single), null, rowKeys);
        }

        var assignments = packed
            .Where(row => row.RowKey.StartsWith($"{GenerationRowPrefix}{generation}-", StringComparison.Ordinal))
            .SelectMany(row => PackedRows.Unpack(row.Entries).Select(entry => Parse(job, row.RowKey, entry)))
            .ToList();
        return (new AssignmentSnapshot(assignments), generation, rowKeys);
    }

    /// <summary>An assignment as one entry: the principal's kind, the role in its fixed-length form, the principal.</summary>
    private static string Entry(AppRoleAssignment assignment) =>
        $"{(assignment.PrincipalKind == ObjectKind.Group ? GroupMark : UserMark)}{assignment.AppRoleId:D}{assignment.PrincipalId.Value}";

    private static AppRoleAssignment Parse(JobId job, string rowKey, string entry) =>
        entry.Length > RoleLength + 1 && entry[0] is UserMark or GroupMark && Guid.TryParseExact(entry.AsSpan(1, RoleLength), "D", out var role)
            ? new AppRoleAssignment(new SourceId(entry[(RoleLength + 1)..]), entry[0] == GroupMark ? ObjectKind.Group : ObjectKind.User, role)
            : throw new InvalidDataException(
                $"Row '{rowKey}' of job '{job}' in the Assignments table is in no layout this version of ScimSync knows. " +
                $"Restart the job's watermark ('scimsync restart --job {job} --scope Watermark'), which clears the snapshot.");

    private static string PartitionKey(JobId job) => TableKey.Compose(job.Value);
}
