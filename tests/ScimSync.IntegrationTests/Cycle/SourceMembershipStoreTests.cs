using Azure.Data.Tables;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.State;
using ScimSync.IntegrationTests.Infrastructure;
using ScimSync.IntegrationTests.State;

namespace ScimSync.IntegrationTests.Cycle;

[Collection(AzuriteCollection.Name)]
public sealed class SourceMembershipStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");
    private static readonly SourceId Large = new("g/large");
    private static readonly SourceId Small = new("g#small");

    [Fact]
    public async Task A_groups_members_are_saved_packed_into_few_rows_and_load_back_exactly()
    {
        var tables = TestTables.Create(azurite);
        var store = new SourceMembershipStore(tables);
        var edges = Tenant(largeMembers: 2_000);

        await store.SaveAsync(Job, StoredSourceMemberships.Empty, SourceMembershipStore.ToGraph(edges));

        Assert.Equal(edges.ToHashSet(), (await store.LoadAsync(Job)).Edges);
        // 2,000 ids of 36 characters need three rows of at most 30,000 characters; the small group one.
        Assert.Equal(4, (await RowsAsync(tables)).Count);
        Assert.Empty((await store.LoadAsync(new JobId("job-2"))).Edges);
    }

    [Fact]
    public async Task A_save_rewrites_only_the_groups_that_changed_and_drops_rows_they_no_longer_need()
    {
        var tables = TestTables.Create(azurite);
        var store = new SourceMembershipStore(tables);
        var third = new SourceId("g/third");
        var before = Tenant(largeMembers: 2_000).Append(new SourceEdge(third, new SourceId("u-1"), ObjectKind.User)).ToList();
        await store.SaveAsync(Job, StoredSourceMemberships.Empty, SourceMembershipStore.ToGraph(before));
        var untouched = (await RowsAsync(tables)).Single(row => row.GetString("GroupId") == third.Value).ETag;

        // The large group shrinks to one row, the small group loses its only member, the third is as it was.
        var after = before.Where(edge => edge.Group == third || (edge.Group == Large && string.CompareOrdinal(edge.Member.Value, "u-0100") < 0)).ToList();
        var graph = SourceMembershipStore.ToGraph(before);
        foreach (var removed in before.Except(after))
        {
            graph.Apply(new MembershipRemoved(removed.Group, removed.Member, removed.MemberKind));
        }

        await store.SaveAsync(Job, await store.LoadAsync(Job), graph);

        Assert.Equal(after.ToHashSet(), (await store.LoadAsync(Job)).Edges);
        var rows = await RowsAsync(tables);
        Assert.Equal([Large.Value, third.Value], rows.Select(row => row.GetString("GroupId")).Order(StringComparer.Ordinal));
        Assert.Equal(untouched, rows.Single(row => row.GetString("GroupId") == third.Value).ETag);
    }

    [Fact]
    public async Task Rows_of_one_membership_each_are_read_and_the_next_save_packs_them()
    {
        var tables = TestTables.Create(azurite);
        var store = new SourceMembershipStore(tables);
        var table = await tables.GetAsync(StateTable.SourceMemberships);
        var edges = Tenant(largeMembers: 3);
        foreach (var edge in edges)
        {
            await table.AddEntityAsync(new TableEntity(TableKey.Compose(Job.Value), TableKey.Compose(edge.Group.Value, edge.Member.Value))
            {
                ["GroupId"] = edge.Group.Value,
                ["MemberId"] = edge.Member.Value,
                ["MemberKind"] = edge.MemberKind.ToString(),
            });
        }

        var loaded = await store.LoadAsync(Job);
        await store.SaveAsync(Job, loaded, SourceMembershipStore.ToGraph(loaded.Edges));

        Assert.Equal(edges.ToHashSet(), loaded.Edges);
        Assert.Equal(edges.ToHashSet(), (await store.LoadAsync(Job)).Edges);
        Assert.All(await RowsAsync(tables), row => Assert.NotNull(row.GetString("Entries")));
        Assert.Equal(2, (await RowsAsync(tables)).Count);
    }

    [Fact]
    public async Task A_row_in_no_known_layout_fails_the_load_with_the_way_out_and_a_restart_clears_it()
    {
        var tables = TestTables.Create(azurite);
        var store = new SourceMembershipStore(tables);
        await store.SaveAsync(Job, StoredSourceMemberships.Empty, SourceMembershipStore.ToGraph(Tenant(largeMembers: 5)));
        var table = await tables.GetAsync(StateTable.SourceMemberships);
        await table.AddEntityAsync(new TableEntity(TableKey.Compose(Job.Value), "odd") { ["GroupId"] = "g/odd", ["Entries"] = "x-1\n" });

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => store.LoadAsync(Job));
        Assert.Contains("scimsync restart --job job-1 --scope Watermark", failure.Message, StringComparison.Ordinal);

        await store.ClearAsync(Job);
        Assert.Empty(await RowsAsync(tables));
    }

    /// <summary>A large group of users with a nested group, and a small group holding one user.</summary>
    private static List<SourceEdge> Tenant(int largeMembers) =>
    [
        .. Enumerable.Range(0, largeMembers).Select(i => new SourceEdge(Large, new SourceId($"u-{i:D4}-{Guid.Empty.ToString()[7..]}"), ObjectKind.User)),
        new SourceEdge(Large, Small, ObjectKind.Group),
        new SourceEdge(Small, new SourceId("u-0001"), ObjectKind.User),
    ];

    private static async Task<List<TableEntity>> RowsAsync(StateTables tables) =>
        await (await tables.GetAsync(StateTable.SourceMemberships)).QueryAsync<TableEntity>().ToListAsync();
}
