using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Memberships;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class MembershipStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");
    private static readonly SourceId Group = new("g/engineering");

    [Fact]
    public async Task Desired_edges_of_a_large_group_are_recorded_and_all_start_pending()
    {
        var store = new MembershipStore(TestTables.Create(azurite));
        var members = Enumerable.Range(0, 250).Select(i => new DesiredEdge(new SourceId($"u{i:D3}"), ObjectKind.User, true)).ToList();

        await store.SetDesiredAsync(Job, Group, members);
        var edges = await store.ListAsync(Job, Group).ToListAsync();

        Assert.Equal(250, edges.Count);
        Assert.All(edges, edge => Assert.True(edge.Desired && !edge.Applied && edge.IsPending));
    }

    [Fact]
    public async Task A_member_given_twice_in_one_call_keeps_its_last_value_even_transactions_apart()
    {
        var store = new MembershipStore(TestTables.Create(azurite));
        var members = Enumerable.Range(0, 250).Select(i => new DesiredEdge(new SourceId($"u{i:D3}"), ObjectKind.User, true))
            .Append(new DesiredEdge(new SourceId("u000"), ObjectKind.User, false))
            .ToList();

        await store.SetDesiredAsync(Job, Group, members);
        var edges = await store.ListAsync(Job, Group).ToDictionaryAsync(edge => edge.Member.Value);

        Assert.Equal(250, edges.Count);
        Assert.False(edges["u000"].Desired);
        Assert.True(edges["u249"].Desired);
    }

    [Fact]
    public async Task Applying_edges_leaves_only_the_differences_pending_and_never_touches_desired_state()
    {
        var store = new MembershipStore(TestTables.Create(azurite));
        await store.SetDesiredAsync(Job, Group, [
            new DesiredEdge(new SourceId("stay"), ObjectKind.User, true),
            new DesiredEdge(new SourceId("join"), ObjectKind.User, true),
            new DesiredEdge(new SourceId("nested"), ObjectKind.Group, true)]);
        await store.SetAppliedAsync(Job, Group, [
            new AppliedEdge(new SourceId("stay"), ObjectKind.User, true),
            new AppliedEdge(new SourceId("leave"), ObjectKind.User, true)]);

        var pending = await store.ListAsync(Job, Group).Where(edge => edge.IsPending).ToListAsync();

        Assert.Equal(["join", "leave", "nested"], pending.Select(e => e.Member.Value).Order(StringComparer.Ordinal));
        Assert.True(pending.Single(e => e.Member.Value == "join").Desired);
        Assert.False(pending.Single(e => e.Member.Value == "leave").Desired);
        Assert.Equal(ObjectKind.Group, pending.Single(e => e.Member.Value == "nested").MemberKind);
    }

    [Fact]
    public async Task A_span_of_members_reads_their_edges_and_those_between_them_and_no_other()
    {
        var store = new MembershipStore(TestTables.Create(azurite));
        await store.SetDesiredAsync(Job, Group, Enumerable.Range(0, 10).Select(i => new DesiredEdge(new SourceId($"u/{i}"), ObjectKind.User, true)));

        var span = await store.ListSpanningAsync(Job, Group, [new SourceId("u/6"), new SourceId("u/3"), new SourceId("u/9-not-stored")]).ToListAsync();

        Assert.Equal(["u/3", "u/4", "u/5", "u/6", "u/7", "u/8", "u/9"], span.Select(edge => edge.Member.Value).Order(StringComparer.Ordinal));
        Assert.Empty(await store.ListSpanningAsync(Job, Group, []).ToListAsync());
        Assert.Equal(10, (await store.ListSpanningAsync(Job, Group, [new SourceId("u/5"), new SourceId("ü")]).ToListAsync()).Count);
    }

    [Fact]
    public async Task A_pending_edge_is_found_before_or_after_the_given_member_and_the_excepted_ones_are_not_counted()
    {
        var store = new MembershipStore(TestTables.Create(azurite));
        await store.SetDesiredAsync(Job, Group, [
            new DesiredEdge(new SourceId("a"), ObjectKind.User, true),
            new DesiredEdge(new SourceId("m"), ObjectKind.User, true),
            new DesiredEdge(new SourceId("z"), ObjectKind.User, true)]);
        await store.SetAppliedAsync(Job, Group, [new AppliedEdge(new SourceId("m"), ObjectKind.User, true), new AppliedEdge(new SourceId("z"), ObjectKind.User, true)]);

        Assert.True(await store.AnyPendingAsync(Job, Group, new SourceId("m"), new HashSet<SourceId>()));
        Assert.False(await store.AnyPendingAsync(Job, Group, new SourceId("m"), new HashSet<SourceId> { new("a") }));

        await store.SetAppliedAsync(Job, Group, [new AppliedEdge(new SourceId("a"), ObjectKind.User, true)]);
        await store.SetDesiredAsync(Job, Group, [new DesiredEdge(new SourceId("z"), ObjectKind.User, false)]);
        Assert.True(await store.AnyPendingAsync(Job, Group, new SourceId("m"), new HashSet<SourceId>()));
        Assert.True(await store.AnyPendingAsync(Job, Group, null, new HashSet<SourceId>()));
        await store.SetAppliedAsync(Job, Group, [new AppliedEdge(new SourceId("z"), ObjectKind.User, false)]);
        Assert.False(await store.AnyPendingAsync(Job, Group, new SourceId("m"), new HashSet<SourceId>()));
        Assert.False(await store.AnyPendingAsync(Job, Group, null, new HashSet<SourceId>()));
    }

    [Fact]
    public async Task Pruning_removes_only_edges_that_are_neither_desired_nor_applied()
    {
        var store = new MembershipStore(TestTables.Create(azurite));
        await store.SetDesiredAsync(Job, Group, [
            new DesiredEdge(new SourceId("member"), ObjectKind.User, true),
            new DesiredEdge(new SourceId("removed"), ObjectKind.User, false),
            new DesiredEdge(new SourceId("never-applied"), ObjectKind.User, false)]);
        await store.SetAppliedAsync(Job, Group, [new AppliedEdge(new SourceId("removed"), ObjectKind.User, false)]);

        var pruned = await store.PruneAsync(Job, Group);

        Assert.Equal(2, pruned);
        Assert.Equal("member", Assert.Single(await store.ListAsync(Job, Group).ToListAsync()).Member.Value);
    }

    [Fact]
    public async Task Groups_do_not_share_edges()
    {
        var store = new MembershipStore(TestTables.Create(azurite));
        await store.SetDesiredAsync(Job, Group, [new DesiredEdge(new SourceId("u1"), ObjectKind.User, true)]);

        Assert.Empty(await store.ListAsync(Job, new SourceId("g/other")).ToListAsync());
    }
}
