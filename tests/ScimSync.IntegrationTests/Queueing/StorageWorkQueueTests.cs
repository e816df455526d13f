using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.IntegrationTests.Infrastructure;
using ScimSync.IntegrationTests.State;

namespace ScimSync.IntegrationTests.Queueing;

[Collection(AzuriteCollection.Name)]
public sealed class StorageWorkQueueTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");

    private (StorageWorkQueue Queue, QueueClient Raw) Create(
        WorkMessageEncoding encoding = WorkMessageEncoding.Base64, int maxDequeueCount = 5, int itemsPerMessage = 1)
    {
        var raw = new QueueClient(azurite.ConnectionString, "work-" + Guid.NewGuid().ToString("N")[..12]);
        return (new StorageWorkQueue(raw, encoding, 16, maxDequeueCount, itemsPerMessage, NullLogger<StorageWorkQueue>.Instance), raw);
    }

    private static SourceObject User(string id) =>
        SourceObject.Create(new SourceId(id), ObjectKind.User, [KeyValuePair.Create("userPrincipalName", JsonSerializer.SerializeToElement($"{id}@contoso.com"))]);

    private static async Task<List<ReceivedWorkMessage>> DrainAsync(StorageWorkQueue queue)
    {
        var all = new List<ReceivedWorkMessage>();
        while (await queue.ReceiveAsync(32, TimeSpan.FromMinutes(5)) is { Count: > 0 } batch)
        {
            all.AddRange(batch);
        }

        return all;
    }

    private static WorkItem ItemOf(WorkMessageEntry entry) => Assert.IsType<WorkItemReadResult.Readable>(entry.Content).Item;

    [Theory]
    [InlineData(WorkMessageEncoding.Base64)]
    [InlineData(WorkMessageEncoding.PlainText)]
    public async Task A_batch_sent_in_parallel_is_received_whole(WorkMessageEncoding encoding)
    {
        var (queue, _) = Create(encoding);
        var items = Enumerable.Range(0, 100).Select(i => WorkItem.Upsert(Job, "c-1", User($"u{i}"), TestTables.Start)).ToList();

        await queue.SendAsync(items);
        var received = await DrainAsync(queue);

        Assert.Equal(
            items.Select(i => i.Id).Order(StringComparer.Ordinal),
            received.Select(r => ItemOf(Assert.Single(r.Entries)).Id).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.Equal(1, r.DequeueCount));
    }

    [Fact]
    public async Task Items_travel_several_to_a_message_in_the_order_they_were_sent()
    {
        var (queue, _) = Create(itemsPerMessage: 16);
        var items = Enumerable.Range(0, 100).Select(i => WorkItem.Upsert(Job, "c-1", User($"u{i}"), TestTables.Start)).ToList();

        await queue.SendAsync(items);
        var received = await DrainAsync(queue);

        Assert.Equal(7, received.Count);
        Assert.Equal(7, received.Count(message => message.Entries.Count == 16) + 1);
        Assert.Equal(
            items.Chunk(16).Select(chunk => string.Join(',', chunk.Select(i => i.Id))).Order(StringComparer.Ordinal),
            received.Select(message => string.Join(',', message.Entries.Select(entry => ItemOf(entry).Id))).Order(StringComparer.Ordinal));
        Assert.Equal(16, queue.ItemsPerMessage);
    }

    [Fact]
    public async Task Base64_messages_are_what_the_Functions_queue_trigger_reads_by_default()
    {
        var (queue, raw) = Create(WorkMessageEncoding.Base64);
        var item = WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start);

        await queue.SendAsync([item]);
        var message = (await raw.ReceiveMessageAsync()).Value;

        Assert.Equal(item.Id, JsonDocument.Parse(Convert.FromBase64String(message.Body.ToString())).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Completed_messages_are_gone()
    {
        var (queue, _) = Create();
        await queue.SendAsync([WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start)]);

        await queue.CompleteAsync(Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(1))));

        Assert.Equal(0, await queue.GetApproximateCountAsync());
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_delivery_handled_past_its_visibility_timeout_lets_go_and_the_delivery_that_has_it_now_settles_it()
    {
        var (queue, _) = Create();
        await queue.SendAsync([WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start)]);
        var lapsed = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(1)));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var current = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(1)));

        await queue.CompleteAsync(lapsed);
        await queue.ReleaseAsync(lapsed, TimeSpan.Zero);

        Assert.Equal(1, await queue.GetApproximateCountAsync());
        await queue.CompleteAsync(current);
        Assert.Equal(0, await queue.GetApproximateCountAsync());
        await queue.CompleteAsync(current);
    }

    [Fact]
    public async Task A_released_message_stays_hidden_for_its_delay_and_then_comes_back_counted()
    {
        var (queue, _) = Create();
        await queue.SendAsync([WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start)]);
        var first = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5)));

        await queue.ReleaseAsync(first, TimeSpan.FromSeconds(2));
        var hidden = await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5));
        ReceivedWorkMessage? again = null;
        for (var attempt = 0; attempt < 50 && again is null; attempt++)
        {
            await Task.Delay(200);
            again = (await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5))).SingleOrDefault();
        }

        Assert.Empty(hidden);
        Assert.NotNull(again);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DequeueCount);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task Malformed_and_unknown_version_messages_are_read_as_poison_that_names_why_and_keeps_the_body()
    {
        var (queue, raw) = Create(WorkMessageEncoding.PlainText);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("this is not json");
        await raw.SendMessageAsync("""{"schemaVersion":99,"id":"future"}""");

        var entries = (await DrainAsync(queue)).Select(message => Assert.Single(message.Entries)).ToList();

        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, e => Assert.IsType<WorkItemReadResult.Poison>(e.Content).Reason == PoisonReason.Malformed && e.Body == "this is not json");
        Assert.Contains(entries, e => e.Content is WorkItemReadResult.Poison { Reason: PoisonReason.UnknownSchemaVersion } poison && poison.Detail.Contains("99", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_that_is_not_base64_on_a_base64_queue_is_poison_not_an_exception()
    {
        var (queue, raw) = Create(WorkMessageEncoding.Base64);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("{plain text on a base64 queue}");

        var message = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5)));

        Assert.Equal(PoisonReason.Malformed, Assert.IsType<WorkItemReadResult.Poison>(Assert.Single(message.Entries).Content).Reason);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_message_delivered_more_often_than_allowed_is_poison()
    {
        var (queue, _) = Create(maxDequeueCount: 1, itemsPerMessage: 16);
        await queue.SendAsync([
            WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start),
            WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u2"), TestTables.Start)]);
        var first = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5)));
        await queue.ReleaseAsync(first, TimeSpan.Zero);

        var second = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5)));

        Assert.All(first.Entries, entry => Assert.IsType<WorkItemReadResult.Readable>(entry.Content));
        Assert.Equal(2, second.Entries.Count);
        Assert.All(second.Entries, entry => Assert.Equal(PoisonReason.TooManyDeliveries, Assert.IsType<WorkItemReadResult.Poison>(entry.Content).Reason));
        Assert.Equal(first.Entries.Select(entry => entry.Body), second.Entries.Select(entry => entry.Body));
    }

    [Fact]
    public async Task A_membership_change_of_20000_edges_travels_as_chunks_that_each_fit_and_arrive_whole()
    {
        var (queue, _) = Create(WorkMessageEncoding.Base64, itemsPerMessage: 32);
        var add = Enumerable.Range(0, 14_000).Select(i => new MemberReference(new SourceId(Guid.NewGuid().ToString()), ObjectKind.User)).ToList();
        var remove = Enumerable.Range(0, 6_000).Select(i => new MemberReference(new SourceId(Guid.NewGuid().ToString()), ObjectKind.User)).ToList();
        var chunks = MembershipChunkSplitter.Split(Job, "c-1", new SourceId("g-all"), add, remove, TestTables.Start);

        await queue.SendAsync(chunks);
        var messages = await DrainAsync(queue);
        var received = messages.SelectMany(message => message.Entries).Select(ItemOf).ToList();

        Assert.Equal(chunks.Count, received.Count);
        Assert.Equal(chunks.Count, messages.Count);
        Assert.All(received, item => Assert.True(WorkItemSerializer.MeasureBytes(item) <= WorkItemSerializer.MaxMessageBytes));
        Assert.Equal(20_000, received.Sum(item => item.Membership!.Add.Count + item.Membership.Remove.Count));
        Assert.Equal(add.Select(m => m.Id.Value).Order(StringComparer.Ordinal), received.SelectMany(i => i.Membership!.Add).Select(m => m.Id.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_with_one_oversized_item_sends_nothing()
    {
        var (queue, _) = Create();
        var huge = SourceObject.Create(new SourceId("big"), ObjectKind.User, [KeyValuePair.Create("notes", JsonSerializer.SerializeToElement(new string('x', 60_000)))]);

        await Assert.ThrowsAsync<WorkItemTooLargeException>(() => queue.SendAsync([
            WorkItem.Upsert(Job, "c-1", User("u1"), TestTables.Start),
            WorkItem.Upsert(Job, "c-1", huge, TestTables.Start)]));

        Assert.Equal(0, await queue.GetApproximateCountAsync());
    }
}
