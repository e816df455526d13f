using System.Text.Json;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using static ScimSync.Core.Tests.Queueing.WorkItems;

namespace ScimSync.Core.Tests.Cycle;

public sealed class WorkItemOrderTests
{
    private static WorkItem UserUpsert(string id) => WorkItem.Upsert(Job, "c1", User(id), At);

    private static WorkItem GroupUpsert(string id) => WorkItem.Upsert(Job, "c1",
        SourceObject.Create(new SourceId(id), ObjectKind.Group, [KeyValuePair.Create("displayName", JsonDocument.Parse("\"Team\"").RootElement.Clone())]), At);

    private static WorkItem Slice(string group, int number, int count, params string[] add) => WorkItem.ForMembershipChunk(Job, "c1",
        new MembershipChunk(new SourceId(group), number, count, add.Select(id => new MemberReference(new SourceId(id), ObjectKind.User)).ToList(), []), At);

    private static string Name(WorkItem item) => item.Operation == WorkOperation.MembershipChunk
        ? $"{item.SourceId}#{item.Membership!.ChunkNumber}"
        : $"{item.Operation} {item.SourceId}";

    [Fact]
    public void Groups_go_first_then_each_groups_members_with_its_slice_after_them_the_group_needing_fewest_first()
    {
        var items = new[]
        {
            UserUpsert("u1"), UserUpsert("u2"), UserUpsert("u3"), UserUpsert("u4"), UserUpsert("u5"),
            GroupUpsert("big"), GroupUpsert("small"),
            Slice("big", 0, 1, "u1", "u2", "u3", "u5"),
            Slice("small", 0, 1, "u4"),
        };

        var ordered = WorkItemOrder.Arrange(items, lag: 0).Select(Name);

        Assert.Equal(
            ["Upsert big", "Upsert small", "Upsert u4", "small#0", "Upsert u1", "Upsert u2", "Upsert u3", "Upsert u5", "big#0"],
            ordered);
    }

    [Fact]
    public void A_slice_waits_lag_items_after_its_last_member_and_a_groups_slices_keep_their_order()
    {
        var items = new List<WorkItem> { GroupUpsert("g") };
        items.AddRange(Enumerable.Range(1, 6).Select(n => UserUpsert($"u{n}")));
        items.Add(Slice("g", 0, 2, "u1", "u2", "u3", "u4"));
        items.Add(Slice("g", 1, 2, "u1"));
        items.Add(WorkItem.Deprovision(Job, "c1", ObjectKind.User, new SourceId("gone"), null, At));

        var ordered = WorkItemOrder.Arrange(items, lag: 2).Select(Name).ToList();

        // u4, the first slice's last member, is item 4; two more items go before the slice, and the second slice,
        // whose member came long before, does not overtake it.
        Assert.Equal(
            ["Upsert g", "Upsert u1", "Upsert u2", "Upsert u3", "Upsert u4", "Upsert u5", "Upsert u6", "g#0", "g#1", "Deprovision gone"],
            ordered);
    }

    [Fact]
    public void A_slice_whose_members_are_not_upserted_in_the_cycle_goes_at_once()
    {
        var items = new[] { UserUpsert("u1"), UserUpsert("u2"), WorkItem.Delete(Job, "c1", ObjectKind.User, new SourceId("gone"), At), Slice("g", 0, 1, "existing") };

        var ordered = WorkItemOrder.Arrange(items, lag: 10).Select(Name);

        Assert.Equal(["g#0", "Upsert u1", "Upsert u2", "Delete gone"], ordered);
    }

    [Fact]
    public void Every_item_is_sent_exactly_once_in_whatever_order()
    {
        var random = new Random(3);
        var users = Enumerable.Range(0, 300).Select(n => $"u{n}").ToArray();
        var items = new List<WorkItem>();
        items.AddRange(users.Select(UserUpsert));
        for (var g = 0; g < 20; g++)
        {
            items.Add(GroupUpsert($"g{g}"));
            var members = users.OrderBy(_ => random.Next()).Take(random.Next(1, 120)).Append("not-upserted").ToArray();
            var slices = members.Chunk(50).ToArray();
            items.AddRange(slices.Select((slice, n) => Slice($"g{g}", n, slices.Length, slice)));
        }

        var ordered = WorkItemOrder.Arrange(items, lag: 7);

        Assert.Equal(items.Select(item => item.Id).Order(), ordered.Select(item => item.Id).Order());
        var at = ordered.Select((item, index) => (item, index)).ToDictionary(pair => pair.item.Id, pair => pair.index);
        foreach (var slice in ordered.Where(item => item.Operation == WorkOperation.MembershipChunk))
        {
            Assert.True(at[slice.Id] > at[GroupUpsert(slice.SourceId.Value).Id]);
            foreach (var member in slice.Membership!.Add.Where(member => member.Id.Value != "not-upserted"))
            {
                Assert.True(at[slice.Id] > at[UserUpsert(member.Id.Value).Id] + 7, $"{Name(slice)} before {member.Id} and seven more");
            }
        }
    }
}
