using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;

namespace ScimSync.Core.Cycle;

/// <summary>One direct membership in the source directory.</summary>
public readonly record struct SourceEdge(SourceId Group, SourceId Member, ObjectKind MemberKind);

/// <summary>
/// The source directory's direct group memberships as of the last completed cycle, in the SourceMemberships table
/// (partition = job, row = group + member). Graph reports memberships only as changes (<c>members@delta</c>), but
/// scoping by group needs the whole graph in every cycle, so the cycle loads it, applies the round's changes and
/// saves the difference after its work is enqueued.
/// </summary>
/// <remarks>
/// The graph is held in memory for the cycle: about 150 bytes per edge (two short ids and their index entries), so a
/// tenant with 100,000 memberships costs about 15 MB. Every edge of the tenant is kept, including groups the job
/// does not provision, because nested groups and assigned groups need the edges above and below them.
/// </remarks>
public sealed class SourceMembershipStore(StateTables tables)
{
    /// <summary>Every stored edge of the job.</summary>
    public async Task<HashSet<SourceEdge>> LoadAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.SourceMemberships, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job)}");
        var edges = new HashSet<SourceEdge>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            edges.Add(new SourceEdge(
                new SourceId(row.GetString("GroupId") ?? string.Empty),
                new SourceId(row.GetString("MemberId") ?? string.Empty),
                Enum.Parse<ObjectKind>(row.GetString("MemberKind") ?? nameof(ObjectKind.User))));
        }

        return edges;
    }

    /// <summary>Writes the edges added and removes the edges removed since <see cref="LoadAsync"/>.</summary>
    public async Task SaveChangesAsync(
        JobId job, IEnumerable<SourceEdge> added, IEnumerable<SourceEdge> removed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(removed);
        var table = await tables.GetAsync(StateTable.SourceMemberships, cancellationToken);
        var actions = added.Select(edge => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(PartitionKey(job), RowKey(edge))
            {
                ["GroupId"] = edge.Group.Value,
                ["MemberId"] = edge.Member.Value,
                ["MemberKind"] = edge.MemberKind.ToString(),
            }))
            .Concat(removed.Select(edge => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(PartitionKey(job), RowKey(edge)), Azure.ETag.All)))
            .GroupBy(action => action.Entity.RowKey, StringComparer.Ordinal)
            .Select(same => same.Last());
        await TableWrites.SubmitInBatchesAsync(table, actions, cancellationToken);
    }

    /// <summary>Forgets every edge of the job (restart: the next full read rebuilds them).</summary>
    public async Task ClearAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var edges = await LoadAsync(job, cancellationToken);
        await SaveChangesAsync(job, [], edges, cancellationToken);
    }

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

    private static string PartitionKey(JobId job) => TableKey.Compose(job.Value);

    private static string RowKey(SourceEdge edge) => TableKey.Compose(edge.Group.Value, edge.Member.Value);
}
