using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;

namespace ScimSync.Core.Cycle;

/// <summary>One direct membership in the source directory.</summary>
public readonly record struct SourceEdge(SourceId Group, SourceId Member, ObjectKind MemberKind);

/// <summary>The source's memberships as a cycle loaded them, with the rows they came from.</summary>
public sealed class StoredSourceMemberships
{
    internal StoredSourceMemberships(HashSet<SourceEdge> edges, Dictionary<SourceId, List<string>> rowsByGroup, HashSet<SourceId> groupsInEdgeRows, List<string> edgeRows)
    {
        Edges = edges;
        RowsByGroup = rowsByGroup;
        GroupsInEdgeRows = groupsInEdgeRows;
        EdgeRows = edgeRows;
    }

    /// <summary>No membership stored (a job's first cycle).</summary>
    public static StoredSourceMemberships Empty => new([], [], [], []);

    public IReadOnlySet<SourceEdge> Edges { get; }

    /// <summary>The row keys of each group's packed rows.</summary>
    internal Dictionary<SourceId, List<string>> RowsByGroup { get; }

    /// <summary>Groups with memberships in rows of one edge each, the layout before members were packed.</summary>
    internal HashSet<SourceId> GroupsInEdgeRows { get; }

    internal List<string> EdgeRows { get; }
}

/// <summary>
/// The source directory's direct group memberships as of the last completed cycle, in the SourceMemberships table
/// (partition = job; a group's members packed into as few rows as a string property allows, row = group + row
/// number). Graph reports memberships only as changes (<c>members@delta</c>), but scoping by group needs the whole
/// graph in every cycle, so the cycle loads it, applies the round's changes and rewrites the groups that changed
/// after its work is enqueued. Packed, 50,000 memberships are about 600 rows, read in one page and written in a few
/// transactions, where a row per membership took 50 pages and 500 transactions.
/// </summary>
/// <remarks>
/// The graph is held in memory for the cycle: about 150 bytes per edge (two short ids and their index entries), so a
/// tenant with 100,000 memberships costs about 15 MB. Every edge of the tenant is kept, including groups the job
/// does not provision, because nested groups and assigned groups need the edges above and below them. Rows of one
/// edge each, written before members were packed, are still read, and the first save rewrites their groups packed.
/// </remarks>
public sealed class SourceMembershipStore(StateTables tables)
{
    private const char UserMark = 'u';
    private const char GroupMark = 'g';

    /// <summary>Every stored edge of the job.</summary>
    /// <exception cref="InvalidDataException">A row is in no layout this version knows.</exception>
    public async Task<StoredSourceMemberships> LoadAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.SourceMemberships, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job)}");
        var edges = new HashSet<SourceEdge>();
        var rowsByGroup = new Dictionary<SourceId, List<string>>();
        var groupsInEdgeRows = new HashSet<SourceId>();
        var edgeRows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            var group = new SourceId(row.GetString("GroupId") ?? string.Empty);
            if (row.GetString(PackedRows.Property) is { } members)
            {
                Unpack(group, members, edges, row.RowKey, job);
                (rowsByGroup.TryGetValue(group, out var rows) ? rows : rowsByGroup[group] = []).Add(row.RowKey);
            }
            else if (row.GetString("MemberId") is { } member && Enum.TryParse<ObjectKind>(row.GetString("MemberKind") ?? nameof(ObjectKind.User), out var kind))
            {
                edges.Add(new SourceEdge(group, new SourceId(member), kind));
                groupsInEdgeRows.Add(group);
                edgeRows.Add(row.RowKey);
            }
            else
            {
                throw UnknownRow(job, row.RowKey);
            }
        }

        return new StoredSourceMemberships(edges, rowsByGroup, groupsInEdgeRows, edgeRows);
    }

    /// <summary>Rewrites every group whose members in <paramref name="graph"/> differ from <paramref name="loaded"/>, and drops groups left with none.</summary>
    public async Task SaveAsync(JobId job, StoredSourceMemberships loaded, InMemoryMembershipGraph graph, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(graph);
        var loadedCounts = loaded.Edges.CountBy(edge => edge.Group).ToDictionary();
        var changed = new HashSet<SourceId>(loaded.GroupsInEdgeRows);
        var present = new HashSet<SourceId>();

        // Rows are packed a group at a time as they are written, from the graph itself, so a large tenant's
        // memberships are never copied and its rows never all in memory.
        var written = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<TableEntity> Rows()
        {
            foreach (var (group, members) in graph.Groups())
            {
                present.Add(group);
                var edges = members.Select(member => new SourceEdge(group, member.Key, member.Value));
                // Unchanged: as many members as were loaded, each of them loaded (a group that only lost members has fewer).
                if (!changed.Contains(group) && members.Count == loadedCounts.GetValueOrDefault(group) && edges.All(loaded.Edges.Contains))
                {
                    continue;
                }

                changed.Add(group);
                foreach (var row in Pack(job, group, edges))
                {
                    written.Add(row.RowKey);
                    yield return row;
                }
            }
        }

        var table = await tables.GetAsync(StateTable.SourceMemberships, cancellationToken);
        await PackedRows.UpsertAsync(table, Rows(), cancellationToken);

        // Row keys start with their group's id, so no group's new row is another's old one.
        changed.UnionWith(loadedCounts.Keys.Where(group => !present.Contains(group)));
        var deletes = new HashSet<string>(loaded.EdgeRows, StringComparer.Ordinal);
        foreach (var group in changed)
        {
            deletes.UnionWith(loaded.RowsByGroup.GetValueOrDefault(group) ?? []);
        }

        deletes.ExceptWith(written);
        await TableWrites.SubmitInBatchesAsync(
            table, deletes.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(PartitionKey(job), rowKey), Azure.ETag.All)), cancellationToken);
    }

    /// <summary>Forgets every edge of the job, whatever its rows hold (restart: the next full read rebuilds them).</summary>
    public async Task ClearAsync(JobId job, CancellationToken cancellationToken = default) =>
        await TableWrites.DeleteWhereAsync(
            await tables.GetAsync(StateTable.SourceMemberships, cancellationToken),
            TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job)}"),
            cancellationToken);

    /// <summary>An in-memory membership graph holding <paramref name="edges"/>, for scoping.</summary>
    public static InMemoryMembershipGraph ToGraph(IEnumerable<SourceEdge> edges)
    {
        var graph = new InMemoryMembershipGraph();
        foreach (var edge in edges)
        {
            graph.Apply(new MembershipAdded(edge.Group, edge.Member, edge.MemberKind));
        }

        return graph;
    }

    /// <summary>A group's members in as few rows as they fit, in a stable order.</summary>
    private static List<TableEntity> Pack(JobId job, SourceId group, IEnumerable<SourceEdge> edges) =>
        PackedRows.Pack(edges
                .OrderBy(edge => edge.Member.Value, StringComparer.Ordinal)
                .Select(edge => (edge.MemberKind == ObjectKind.Group ? GroupMark : UserMark) + edge.Member.Value))
            .Select((packed, number) => new TableEntity(PartitionKey(job), TableKey.Compose(group.Value, $"#{number:D5}"))
            {
                ["GroupId"] = group.Value,
                [PackedRows.Property] = packed,
            })
            .ToList();

    private static void Unpack(SourceId group, string members, HashSet<SourceEdge> edges, string rowKey, JobId job)
    {
        foreach (var entry in PackedRows.Unpack(members))
        {
            var kind = entry[0] switch
            {
                UserMark => ObjectKind.User,
                GroupMark => ObjectKind.Group,
                _ => throw UnknownRow(job, rowKey),
            };
            edges.Add(new SourceEdge(group, new SourceId(entry[1..]), kind));
        }
    }

    private static InvalidDataException UnknownRow(JobId job, string rowKey) =>
        new($"Row '{rowKey}' of job '{job}' in the SourceMemberships table is in no layout this version of ScimSync knows. " +
            $"Restart the job's watermark ('scimsync restart --job {job} --scope Watermark') so the next full read rebuilds its memberships.");

    private static string PartitionKey(JobId job) => TableKey.Compose(job.Value);
}
