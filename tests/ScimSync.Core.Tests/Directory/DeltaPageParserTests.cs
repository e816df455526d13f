using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Tests.Directory;

public sealed class DeltaPageParserTests
{
    private static DeltaPage Parse(DeltaPageParser parser, string json) => parser.Parse(JsonDocument.Parse(json).RootElement);

    private static readonly SourceId Group = new("g1");

    [Fact]
    public void Users_are_upserted_with_their_attributes_and_removals_map_to_soft_and_hard_deletes()
    {
        var page = Parse(new DeltaPageParser(ObjectKind.User), """
            {"@odata.nextLink":"http://127.0.0.1/v1.0/users/delta?$skiptoken=a",
             "value":[
               {"displayName":"Cameron White","accountEnabled":true,"id":"u1"},
               {"id":"u2","@removed":{"reason":"changed"}},
               {"id":"u3","@removed":{"reason":"deleted"}}]}
            """);

        Assert.Equal("http://127.0.0.1/v1.0/users/delta?$skiptoken=a", page.NextLink);
        Assert.Null(page.DeltaLink);
        Assert.Collection(page.Changes,
            c => Assert.Equal("Cameron White", Assert.IsType<ObjectUpserted>(c).Source.GetString("displayname")),
            c => Assert.Equal(new ObjectSoftDeleted(new SourceId("u2"), ObjectKind.User), c),
            c => Assert.Equal(new ObjectHardDeleted(new SourceId("u3"), ObjectKind.User), c));
    }

    [Fact]
    public void A_page_must_carry_exactly_one_link()
    {
        var parser = new DeltaPageParser(ObjectKind.User);

        Assert.Throws<InvalidDataException>(() => Parse(parser, """{"value":[]}"""));
        Assert.Throws<InvalidDataException>(() => Parse(parser, """{"@odata.nextLink":"a","@odata.deltaLink":"b","value":[]}"""));
        Assert.Empty(Parse(parser, """{"@odata.deltaLink":"d","value":[]}""").Changes);
    }

    [Fact]
    public void Member_slices_become_added_and_removed_edges_of_user_and_group_members()
    {
        var page = Parse(new DeltaPageParser(ObjectKind.Group), """
            {"@odata.deltaLink":"d","value":[{"displayName":"Sales","id":"g1","members@delta":[
              {"@odata.type":"#microsoft.graph.user","id":"u1"},
              {"@odata.type":"#microsoft.graph.user","id":"u2","@removed":{"reason":"deleted"}},
              {"@odata.type":"#microsoft.graph.group","id":"g2"},
              {"@odata.type":"#microsoft.graph.device","id":"d1"}]}]}
            """);

        var upsert = Assert.IsType<ObjectUpserted>(page.Changes[0]);
        Assert.False(upsert.Source.Attributes.ContainsKey("members@delta"));
        Assert.Equal(
            [
                new MembershipAdded(Group, new SourceId("u1"), ObjectKind.User),
                new MembershipRemoved(Group, new SourceId("u2"), ObjectKind.User),
                new MembershipAdded(Group, new SourceId("g2"), ObjectKind.Group),
            ],
            page.Changes.Skip(1));
    }

    [Fact]
    public void A_group_repeated_within_a_page_is_merged_into_one_upsert_and_the_last_entry_per_member_wins()
    {
        var page = Parse(new DeltaPageParser(ObjectKind.Group), """
            {"@odata.nextLink":"n","value":[
              {"displayName":"Sales","id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1"},{"@odata.type":"#microsoft.graph.user","id":"u2"}]},
              {"id":"g9","displayName":"Other"},
              {"displayName":"Sales","description":"Sellers","id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u2","@removed":{"reason":"deleted"}},{"@odata.type":"#microsoft.graph.user","id":"u3"}]}]}
            """);

        var upserts = page.Changes.OfType<ObjectUpserted>().ToList();
        Assert.Equal(["g1", "g9"], upserts.Select(u => u.Source.Id.Value));
        Assert.Equal("Sellers", upserts[0].Source.GetString("description"));
        Assert.Equal(
            [
                new MembershipAdded(Group, new SourceId("u1"), ObjectKind.User),
                new MembershipRemoved(Group, new SourceId("u2"), ObjectKind.User),
                new MembershipAdded(Group, new SourceId("u3"), ObjectKind.User),
            ],
            page.Changes.Where(c => c is MembershipAdded or MembershipRemoved));
    }

    [Fact]
    public void A_group_repeated_across_pages_is_upserted_once_and_every_slice_yields_its_edges()
    {
        var parser = new DeltaPageParser(ObjectKind.Group);
        var slices = Enumerable.Range(0, 3).Select(p =>
        {
            var members = string.Join(",", Enumerable.Range(p * 100, 100).Select(i => $$"""{"@odata.type":"#microsoft.graph.user","id":"u{{i}}"}"""));
            var link = p == 2 ? "\"@odata.deltaLink\":\"d\"" : $"\"@odata.nextLink\":\"n{p}\"";
            var group = p == 1 ? """{"id":"g1","members@delta":[""" : """{"id":"g1","displayName":"Big","members@delta":[""";
            return Parse(parser, $$"""{{{link}},"value":[{{group}}{{members}}]}]}""");
        }).ToList();

        Assert.Single(slices.SelectMany(s => s.Changes).OfType<ObjectUpserted>());
        var edges = slices.SelectMany(s => s.Changes).OfType<MembershipAdded>().ToList();
        Assert.Equal(300, edges.Select(e => e.MemberId).Distinct().Count());
        Assert.All(edges, e => Assert.Equal(Group, e.GroupId));
    }

    [Fact]
    public void A_group_whose_attributes_change_between_slices_is_upserted_again()
    {
        var parser = new DeltaPageParser(ObjectKind.Group);

        var first = Parse(parser, """{"@odata.nextLink":"n","value":[{"id":"g1","displayName":"Old","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1"}]}]}""");
        var second = Parse(parser, """{"@odata.deltaLink":"d","value":[{"id":"g1","displayName":"New","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u2"}]}]}""");

        Assert.Equal("Old", first.Changes.OfType<ObjectUpserted>().Single().Source.GetString("displayName"));
        Assert.Equal("New", second.Changes.OfType<ObjectUpserted>().Single().Source.GetString("displayName"));
    }

    [Fact]
    public void A_restored_object_in_the_same_page_as_its_removal_is_upserted()
    {
        var page = Parse(new DeltaPageParser(ObjectKind.User), """
            {"@odata.deltaLink":"d","value":[{"id":"u1","@removed":{"reason":"changed"}},{"id":"u1","displayName":"Back"}]}
            """);

        Assert.Equal("Back", Assert.IsType<ObjectUpserted>(Assert.Single(page.Changes)).Source.GetString("displayName"));
    }

    [Fact]
    public void Objects_keep_their_attributes_after_the_page_is_disposed()
    {
        IReadOnlyList<DirectoryChange> changes;
        using (var document = JsonDocument.Parse("""
            {"@odata.deltaLink":"d","value":[{"displayName":"Sales","id":"g1","members@delta":[
              {"@odata.type":"#microsoft.graph.user","id":"u1"}]}]}
            """))
        {
            changes = new DeltaPageParser(ObjectKind.Group).Parse(document.RootElement).Changes;
        }

        var group = Assert.IsType<ObjectUpserted>(changes[0]).Source;
        Assert.Equal("Sales", group.GetString("displayName"));
        Assert.Equal(["displayName", "id"], group.Attributes.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_round_holds_one_instance_of_each_member_id_and_attribute_name()
    {
        var parser = new DeltaPageParser(ObjectKind.Group);
        var first = Parse(parser, """
            {"@odata.nextLink":"n","value":[{"displayName":"Sales","id":"g1","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1"}]}]}
            """).Changes;
        var second = Parse(parser, """
            {"@odata.deltaLink":"d","value":[{"displayName":"Support","id":"g2","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1"}]}]}
            """).Changes;

        Assert.Same(first.OfType<MembershipAdded>().Single().MemberId.Value, second.OfType<MembershipAdded>().Single().MemberId.Value);
        Assert.Same(
            first.OfType<ObjectUpserted>().Single().Source.Attributes.Keys.First(key => key == "displayName"),
            second.OfType<ObjectUpserted>().Single().Source.Attributes.Keys.First(key => key == "displayName"));
    }

    [Fact]
    public void A_group_with_no_members_has_no_edges()
    {
        var page = Parse(new DeltaPageParser(ObjectKind.Group), """{"@odata.deltaLink":"d","value":[{"id":"g1","displayName":"Empty"}]}""");

        Assert.IsType<ObjectUpserted>(Assert.Single(page.Changes));
    }
    [Fact]
    public void A_manager_relationship_becomes_a_manager_attribute_with_its_id_or_null_when_removed()
    {
        var page = Parse(new DeltaPageParser(ObjectKind.User), """
            {"@odata.deltaLink":"d","value":[
              {"id":"u1","displayName":"A","manager@delta":[{"@odata.type":"#microsoft.graph.user","id":"boss"}]},
              {"id":"u2","displayName":"B","manager@delta":[{"@odata.type":"#microsoft.graph.user","id":"boss","@removed":{"reason":"deleted"}}]}]}
            """);

        var users = page.Changes.OfType<ObjectUpserted>().Select(u => u.Source).ToList();
        Assert.Equal("boss", users[0].Get("manager")!.Value.GetProperty("id").GetString());
        Assert.True(users[1].Attributes.ContainsKey("manager"));
        Assert.Null(users[1].Get("manager"));
    }
}
