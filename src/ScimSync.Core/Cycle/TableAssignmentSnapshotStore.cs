using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;

namespace ScimSync.Core.Cycle;

/// <summary>
/// Keeps each job's last assignment snapshot in the Assignments table: partition = job, one row per principal and
/// role. One row per assignment rather than one serialized snapshot, because a large app's assignments exceed the
/// size of a table entity; saving writes only the rows that changed.
/// </summary>
public sealed class TableAssignmentSnapshotStore(StateTables tables) : IAssignmentSnapshotStore
{
    /// <inheritdoc />
    public async Task<AssignmentSnapshot?> GetAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var (saved, rows) = await ReadRowsAsync(job, cancellationToken);
        return saved ? new AssignmentSnapshot(rows.Values.ToList()) : null;
    }

    /// <inheritdoc />
    public async Task SaveAsync(JobId job, AssignmentSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var table = await tables.GetAsync(StateTable.Assignments, cancellationToken);
        var (_, existing) = await ReadRowsAsync(job, cancellationToken);
        var wanted = snapshot.Assignments
            .GroupBy(RowKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        // A marker row keeps "an empty snapshot was saved" apart from "never saved" (an app with no assignments).
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpsertReplace, new TableEntity(PartitionKey(job), MarkerRow)),
        };
        actions.AddRange(wanted.Where(w => !existing.ContainsKey(w.Key)).Select(w =>
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(PartitionKey(job), w.Key)
            {
                ["PrincipalId"] = w.Value.PrincipalId.Value,
                ["PrincipalKind"] = w.Value.PrincipalKind.ToString(),
                ["AppRoleId"] = w.Value.AppRoleId,
            })));
        actions.AddRange(existing.Where(e => !wanted.ContainsKey(e.Key)).Select(e =>
            new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(PartitionKey(job), e.Key), Azure.ETag.All)));
        await TableWrites.SubmitInBatchesAsync(table, actions, cancellationToken);
    }

    /// <summary>Forgets the job's snapshot, so the next cycle treats every assignment as new (restart).</summary>
    public async Task ClearAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Assignments, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job)}");
        var actions = new List<TableTransactionAction>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, row));
        }

        await TableWrites.SubmitInBatchesAsync(table, actions, cancellationToken);
    }

    // Sorts before every escaped id, and cannot be one.
    private const string MarkerRow = "!snapshot";

    private async Task<(bool Saved, Dictionary<string, AppRoleAssignment> Rows)> ReadRowsAsync(JobId job, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTable.Assignments, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job)}");
        var rows = new Dictionary<string, AppRoleAssignment>(StringComparer.Ordinal);
        var sawMarker = false;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == MarkerRow)
            {
                sawMarker = true;
                continue;
            }

            var assignment = new AppRoleAssignment(
                new SourceId(row.GetString("PrincipalId") ?? string.Empty),
                Enum.Parse<ObjectKind>(row.GetString("PrincipalKind") ?? nameof(ObjectKind.User)),
                row.GetGuid("AppRoleId") ?? Guid.Empty);
            rows[row.RowKey] = assignment;
        }

        return (sawMarker, rows);
    }

    private static string PartitionKey(JobId job) => TableKey.Compose(job.Value);

    private static string RowKey(AppRoleAssignment assignment) =>
        TableKey.Compose(assignment.PrincipalId.Value, assignment.AppRoleId.ToString("D"));
}
