using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Memberships;

/// <summary>
/// The Memberships table: partition = job + group, row = member source id, one row per edge. A second kind of
/// partition, job + <c>~awaited</c> + member, lists the groups waiting for a member the target does not hold.
/// </summary>
/// <remarks>
/// Desired and applied state are separate columns with separate writers: the cycle alone writes <c>Desired</c>, the
/// worker for that group alone writes <c>Applied</c>. Each write is a Merge of its own column only, so neither can
/// overwrite the other's column and neither needs the row's ETag; the group's membership work item is the unit of
/// exclusivity for <c>Applied</c>. Writes go in entity-group transactions of 100 rows, so a cycle records a
/// 35,000-member group in 350 requests.
/// </remarks>
public sealed class MembershipStore(StateTables tables)
{
    /// <summary>Records what the source wants for these members of the group.</summary>
    public Task SetDesiredAsync(JobId job, SourceId group, IEnumerable<DesiredEdge> edges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edges);
        return MergeAsync(job, group, "Desired", edges.Select(edge => (edge.Member, edge.MemberKind, edge.Desired)), cancellationToken);
    }

    /// <summary>Records what the target now has for these members of the group.</summary>
    public Task SetAppliedAsync(JobId job, SourceId group, IEnumerable<AppliedEdge> edges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edges);
        return MergeAsync(job, group, "Applied", edges.Select(edge => (edge.Member, edge.MemberKind, edge.Applied)), cancellationToken);
    }

    /// <summary>Every edge of the group.</summary>
    public IAsyncEnumerable<MembershipEdge> ListAsync(JobId job, SourceId group, CancellationToken cancellationToken = default) =>
        QueryAsync(job, group, TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job, group)}"), cancellationToken);

    /// <summary>
    /// The group's edges from the first of <paramref name="members"/> to the last in row-key order: every edge of those
    /// members that is stored, and any other member's between them. A membership slice's members are cut in id order,
    /// so this reads a slice's own edges and not the rest of a large group. Keys beyond ASCII, whose order the service
    /// may not share with this process, read the whole group.
    /// </summary>
    public IAsyncEnumerable<MembershipEdge> ListSpanningAsync(JobId job, SourceId group, IEnumerable<SourceId> members, CancellationToken cancellationToken = default)
    {
        var keys = members.Select(member => TableKey.Compose(member.Value)).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return AsyncEnumerable.Empty<MembershipEdge>();
        }

        if (!keys.All(key => key.All(char.IsAscii)))
        {
            return ListAsync(job, group, cancellationToken);
        }

        return QueryAsync(job, group, TableClient.CreateQueryFilter(
            $"PartitionKey eq {PartitionKey(job, group)} and RowKey ge {keys[0]} and RowKey le {keys[^1]}"), cancellationToken);
    }

    /// <summary>
    /// Whether an edge of the group other than <paramref name="except"/>'s still differs between source and target,
    /// reading no further than the first such edge. With <paramref name="after"/>, reads the edges after that member
    /// first: a slice that finishes before the slices cut after it finds one of theirs on the first page, instead of
    /// reading every edge the slices before it applied.
    /// </summary>
    public async Task<bool> AnyPendingAsync(
        JobId job, SourceId group, SourceId? after, IReadOnlySet<SourceId> except, CancellationToken cancellationToken = default)
    {
        var partition = PartitionKey(job, group);
        string[] filters = after is { } member
            ?
            [
                TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {TableKey.Compose(member.Value)}"),
                TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey le {TableKey.Compose(member.Value)}"),
            ]
            : [TableClient.CreateQueryFilter($"PartitionKey eq {partition}")];
        foreach (var filter in filters)
        {
            if (await QueryAsync(job, group, filter, cancellationToken).AnyAsync(edge => edge.IsPending && !except.Contains(edge.Member), cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every edge of <paramref name="member"/> across the job's groups: the groups to give the member again when it is
    /// re-created under a new target id.
    /// </summary>
    public async IAsyncEnumerable<MembershipEdge> ListEdgesOfMemberAsync(
        JobId job, SourceId member, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Memberships, cancellationToken);
        var prefix = TableKey.EscapePart(job.Value) + TableKey.Separator;
        var end = TableKey.EscapePart(job.Value) + (char)(TableKey.Separator + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {end} and RowKey eq {TableKey.Compose(member.Value)}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var parts = TableKey.Decompose(entity.PartitionKey);
            if (parts.Length == 2)
            {
                yield return new MembershipEdge(
                    job, new SourceId(parts[1]), member,
                    Enum.Parse<ObjectKind>(entity.GetString("MemberKind") ?? nameof(ObjectKind.User)),
                    entity.GetBoolean("Desired") ?? false,
                    entity.GetBoolean("Applied") ?? false);
            }
        }
    }

    /// <summary>Removes rows that are neither desired nor applied, which carry no information any more.</summary>
    /// <returns>How many rows were removed.</returns>
    public async Task<int> PruneAsync(JobId job, SourceId group, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Memberships, cancellationToken);
        // Filtered here rather than in the service: a column never written is absent, and "absent" never equals false.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job, group)}");
        var actions = new List<TableTransactionAction>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Desired", "Applied"], cancellationToken: cancellationToken))
        {
            if (entity.GetBoolean("Desired") != true && entity.GetBoolean("Applied") != true)
            {
                // Guarded by ETag: a row the cycle marks desired again meanwhile is not removed.
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, entity.ETag));
            }
        }

        await TableWrites.SubmitInBatchesAsync(table, actions, cancellationToken);
        return actions.Count;
    }

    /// <summary>
    /// Remembers that <paramref name="group"/> completed without <paramref name="member"/>, which is not provisioned for
    /// a reason of its own (skipped or escrowed), so that provisioning it later brings the group's edge to it back to
    /// work. The first record stays, so its time says since when the group waits.
    /// </summary>
    /// <param name="name">The member's name as status shows it (a userPrincipalName).</param>
    /// <param name="code">Why it is not provisioned, as a code, e.g. <c>InvalidDomain</c>.</param>
    /// <param name="reason">Why, in plain words.</param>
    public async Task AwaitMemberAsync(
        JobId job, SourceId member, SourceId group, string name, string code, string reason, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Memberships, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(AwaitedPartitionKey(job, member), TableKey.Compose(group.Value))
            {
                ["GroupId"] = group.Value,
                ["Name"] = name,
                ["Code"] = code,
                ["Reason"] = reason,
            }, cancellationToken);
        }
        catch (RequestFailedException exists) when (exists.Status == 409)
        {
            // Already waiting since an earlier slice.
        }
    }

    /// <summary>The groups that were waiting for <paramref name="member"/>, forgotten as they are returned.</summary>
    public async Task<IReadOnlyList<SourceId>> TakeGroupsAwaitingAsync(JobId job, SourceId member, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Memberships, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AwaitedPartitionKey(job, member)}");
        var rows = await table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        await TableWrites.SubmitInBatchesAsync(table, rows.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
        return rows.Select(row => new SourceId(row.GetString("GroupId") ?? TableKey.UnescapePart(row.RowKey))).ToList();
    }

    /// <summary>Every member some group of the job waits for, with those groups and since when the first waits.</summary>
    public async Task<IReadOnlyList<AwaitedMember>> ListAwaitedAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Memberships, cancellationToken);
        // Composite partitions "job|~awaited|…" sort between that prefix and the same with '}' ('}' follows '|').
        var prefix = TableKey.Compose(job.Value, "~awaited", string.Empty);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix[..^1] + "}"}");
        var rows = await table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        return rows
            .GroupBy(row => row.PartitionKey, StringComparer.Ordinal)
            .Select(member =>
            {
                var first = member.MinBy(row => row.Timestamp ?? DateTimeOffset.MinValue)!;
                return new AwaitedMember(
                    new SourceId(TableKey.Decompose(member.Key)[^1]),
                    member.Select(row => new SourceId(row.GetString("GroupId") ?? TableKey.UnescapePart(row.RowKey))).ToList(),
                    first.Timestamp ?? DateTimeOffset.MinValue,
                    first.GetString("Name"),
                    first.GetString("Code") ?? "NotProvisioned",
                    first.GetString("Reason") ?? "It is not provisioned.");
            })
            .ToList();
    }

    internal static string PartitionKey(JobId job, SourceId group) => TableKey.Compose(job.Value, group.Value);

    private async IAsyncEnumerable<MembershipEdge> QueryAsync(
        JobId job, SourceId group, string filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTable.Memberships, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return new MembershipEdge(
                job, group,
                new SourceId(entity.GetString("MemberId") ?? TableKey.UnescapePart(entity.RowKey)),
                Enum.Parse<ObjectKind>(entity.GetString("MemberKind") ?? nameof(ObjectKind.User)),
                entity.GetBoolean("Desired") ?? false,
                entity.GetBoolean("Applied") ?? false);
        }
    }

    private static string AwaitedPartitionKey(JobId job, SourceId member) => TableKey.Compose(job.Value, "~awaited", member.Value);

    /// <summary>Writes one column of the group's edges, a transaction of rows at a time: a large group's rows are never all in memory at once.</summary>
    private async Task MergeAsync(
        JobId job, SourceId group, string column, IEnumerable<(SourceId Member, ObjectKind Kind, bool Value)> edges, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTable.Memberships, cancellationToken);
        // A transaction may not touch the same row twice; the last value for a member wins.
        var latest = new Dictionary<SourceId, (ObjectKind Kind, bool Value)>();
        foreach (var (member, kind, value) in edges)
        {
            latest[member] = (kind, value);
        }

        foreach (var transaction in latest.Chunk(TableWrites.MaxTransactionSize))
        {
            await TableWrites.SubmitInBatchesAsync(
                table,
                transaction.Select(edge => new TableTransactionAction(
                    TableTransactionActionType.UpsertMerge, Entity(job, group, edge.Key, edge.Value.Kind, column, edge.Value.Value))),
                cancellationToken);
        }
    }

    private static TableEntity Entity(JobId job, SourceId group, SourceId member, ObjectKind kind, string column, bool value) =>
        new(PartitionKey(job, group), TableKey.Compose(member.Value))
        {
            ["MemberId"] = member.Value,
            ["MemberKind"] = kind.ToString(),
            [column] = value,
        };
}
