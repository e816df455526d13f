using System.Text;
using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using static ScimSync.Core.Tests.Queueing.WorkItems;

namespace ScimSync.Core.Tests.Queueing;

public sealed class WorkMessageSerializerTests
{
    private static List<WorkItem> Users(int count) =>
        Enumerable.Range(0, count).Select(i => WorkItem.Upsert(Job, "cycle-1", User($"u{i}"), At)).ToList();

    private static WorkItem ItemOf(WorkMessageEntry entry) => Assert.IsType<WorkItemReadResult.Readable>(entry.Content).Item;

    [Fact]
    public void A_message_of_one_item_is_the_item_itself_so_every_version_reads_it()
    {
        var item = Users(1)[0];

        var body = Assert.Single(WorkMessageSerializer.Pack([item], 16));

        Assert.Equal(WorkItemSerializer.Serialize(item), body);
        Assert.Equal(item.Id, ItemOf(Assert.Single(WorkMessageSerializer.Read(body))).Id);
    }

    [Fact]
    public void Items_are_packed_up_to_the_count_and_read_back_in_their_order()
    {
        var items = Users(40);

        var bodies = WorkMessageSerializer.Pack(items, 16);

        Assert.Equal([16, 16, 8], bodies.Select(body => WorkMessageSerializer.Read(body).Count));
        Assert.Equal(items.Select(i => i.Id), bodies.SelectMany(WorkMessageSerializer.Read).Select(entry => ItemOf(entry).Id));
        Assert.All(bodies, body => Assert.Equal(WorkMessageSerializer.BatchSchemaVersion, JsonDocument.Parse(body).RootElement.GetProperty("schemaVersion").GetInt32()));
    }

    [Fact]
    public void A_message_never_grows_past_the_queue_limit_and_each_entry_keeps_its_own_json()
    {
        var members = Enumerable.Range(0, 4_000).Select(i => new MemberReference(new SourceId(Guid.NewGuid().ToString()), ObjectKind.User)).ToList();
        var chunks = MembershipChunkSplitter.Split(Job, "cycle-1", new SourceId("g-1"), members, [], At);

        var bodies = WorkMessageSerializer.Pack([.. chunks, .. Users(10)], 32);

        Assert.All(bodies, body => Assert.True(body.Length <= WorkItemSerializer.MaxMessageBytes, $"{body.Length} bytes"));
        var entries = bodies.SelectMany(WorkMessageSerializer.Read).ToList();
        Assert.Equal(chunks.Count + 10, entries.Count);
        Assert.All(entries, entry => Assert.Equal(Encoding.UTF8.GetString(WorkItemSerializer.Serialize(ItemOf(entry))), entry.Body));
    }

    [Fact]
    public void An_unreadable_item_in_a_batch_is_poison_beside_the_items_that_read()
    {
        var good = Encoding.UTF8.GetString(WorkItemSerializer.Serialize(Users(1)[0]));
        var body = $$"""{"schemaVersion":3,"items":[{{good}},{"schemaVersion":99,"id":"future"},"text"]}""";

        var entries = WorkMessageSerializer.Read(Encoding.UTF8.GetBytes(body));

        Assert.Equal(3, entries.Count);
        Assert.Equal(good, entries[0].Body);
        Assert.IsType<WorkItemReadResult.Readable>(entries[0].Content);
        Assert.Equal(PoisonReason.UnknownSchemaVersion, Assert.IsType<WorkItemReadResult.Poison>(entries[1].Content).Reason);
        Assert.Equal("""{"schemaVersion":99,"id":"future"}""", entries[1].Body);
        Assert.Equal(PoisonReason.Malformed, Assert.IsType<WorkItemReadResult.Poison>(entries[2].Content).Reason);
    }

    [Theory]
    [InlineData("""{"schemaVersion":3,"items":[]}""", PoisonReason.Malformed)]
    [InlineData("""{"schemaVersion":3}""", PoisonReason.Malformed)]
    [InlineData("""{"schemaVersion":4,"items":[]}""", PoisonReason.UnknownSchemaVersion)]
    [InlineData("not json", PoisonReason.Malformed)]
    public void A_message_that_cannot_be_read_is_one_poison_entry_with_the_whole_body(string body, PoisonReason reason)
    {
        var entry = Assert.Single(WorkMessageSerializer.Read(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(reason, Assert.IsType<WorkItemReadResult.Poison>(entry.Content).Reason);
        Assert.Equal(body, entry.Body);
    }
}
