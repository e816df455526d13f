using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using static ScimSync.Core.Tests.Queueing.WorkItems;

namespace ScimSync.Core.Tests.Queueing;

public sealed class MembershipChunkSplitterTests
{
    private static readonly SourceId Group = new("g-all-staff");

    private static List<MemberReference> Members(int count, string prefix = "") =>
        Enumerable.Range(0, count).Select(i => new MemberReference(new SourceId(prefix + Guid.CreateVersion7(At.AddTicks(i)).ToString()), ObjectKind.User)).ToList();

    [Fact]
    public void Twenty_thousand_edges_are_split_into_chunks_that_each_fit_a_message_and_together_hold_every_edge()
    {
        var add = Members(15_000);
        var remove = Members(5_000, "r");

        var items = MembershipChunkSplitter.Split(Job, "cycle-1", Group, add, remove, At);

        Assert.True(items.Count > 1);
        Assert.All(items, item => Assert.True(WorkItemSerializer.Serialize(item).Length <= WorkItemSerializer.MaxMessageBytes));
        Assert.Equal(add.Select(m => m.Id.Value).Order(StringComparer.Ordinal), items.SelectMany(i => i.Membership!.Add).Select(m => m.Id.Value).Order(StringComparer.Ordinal));
        Assert.Equal(remove.Select(m => m.Id.Value).Order(StringComparer.Ordinal), items.SelectMany(i => i.Membership!.Remove).Select(m => m.Id.Value).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(0, items.Count), items.Select(i => i.Membership!.ChunkNumber));
        Assert.All(items, item => Assert.Equal(items.Count, item.Membership!.ChunkCount));
        Assert.Equal(items.Count, items.Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public void Chunks_hold_no_more_members_than_the_cap()
    {
        var items = MembershipChunkSplitter.Split(Job, "c", Group, Members(250), [], At, maxMembersPerChunk: 100);

        Assert.Equal([100, 100, 50], items.Select(i => i.Membership!.Add.Count));
    }

    [Fact]
    public void Long_member_ids_make_smaller_chunks_that_still_fit()
    {
        var items = MembershipChunkSplitter.Split(Job, "c", Group, Members(400, new string('p', 900)), [], At);

        Assert.True(items.Count > 5);
        Assert.All(items, item => Assert.True(WorkItemSerializer.Serialize(item).Length <= WorkItemSerializer.MaxMessageBytes));
        Assert.Equal(400, items.Sum(i => i.Membership!.Add.Count));
    }

    [Fact]
    public void The_same_change_in_any_order_gives_the_same_chunks_and_ids()
    {
        var members = Members(3_000);
        var shuffled = members.OrderBy(m => m.Id.Value.GetHashCode(StringComparison.Ordinal)).ToList();

        var first = MembershipChunkSplitter.Split(Job, "c", Group, members, [], At);
        var second = MembershipChunkSplitter.Split(Job, "c", Group, shuffled, [], At);

        Assert.Equal(first.Select(i => i.Id), second.Select(i => i.Id));
        Assert.Equal(first.Select(i => i.Membership!.Add[0]), second.Select(i => i.Membership!.Add[0]));
    }

    [Fact]
    public void No_change_gives_no_work()
    {
        Assert.Empty(MembershipChunkSplitter.Split(Job, "c", Group, [], [], At));
    }

    [Fact]
    public void A_member_id_too_large_for_any_message_is_refused()
    {
        var giant = new MemberReference(new SourceId(new string('x', WorkItemSerializer.MaxMessageBytes)), ObjectKind.User);

        Assert.Throws<WorkItemTooLargeException>(() => MembershipChunkSplitter.Split(Job, "c", Group, [giant], [], At));
    }
}
