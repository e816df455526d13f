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

    private (StorageWorkQueue Queue, QueueClient Raw, PoisonMessageStore Poison) Create(
        WorkMessageEncoding encoding = WorkMessageEncoding.Base64, int maxDequeueCount = 5)
    {
        var raw = new QueueClient(azurite.ConnectionString, "work-" + Guid.NewGuid().ToString("N")[..12]);
        var poison = new PoisonMessageStore(TestTables.Create(azurite), TimeProvider.System);
        return (new StorageWorkQueue(raw, encoding, poison, 16, maxDequeueCount, NullLogger<StorageWorkQueue>.Instance), raw, poison);
    }

    private static SourceObject User(string id) =>
        SourceObject.Create(new SourceId(id), ObjectKind.User, [KeyValuePair.Create("userPrincipalName", JsonSerializer.SerializeToElement($"{id}@contoso.com"))]);

    private static async Task<List<ReceivedWorkItem>> DrainAsync(StorageWorkQueue queue)
    {
        var all = new List<ReceivedWorkItem>();
        while (await queue.ReceiveAsync(32, TimeSpan.FromMinutes(5)) is { Count: > 0 } batch)
        {
            all.AddRange(batch);
        }

        return all;
    }

    [Theory]
    [InlineData(WorkMessageEncoding.Base64)]
    [InlineData(WorkMessageEncoding.PlainText)]
    public async Task A_batch_sent_in_parallel_is_received_whole(WorkMessageEncoding encoding)
    {
        var (queue, _, _) = Create(encoding);
        var items = Enumerable.Range(0, 100).Select(i => WorkItem.Upsert(Job, "c-1", User($"u{i}"), TestTables.Start)).ToList();

        await queue.SendAsync(items);
        var received = await DrainAsync(queue);

        Assert.Equal(
            items.Select(i => i.Id).Order(StringComparer.Ordinal),
            received.Select(r => Assert.IsType<WorkItemReadResult.Readable>(r.Content).Item.Id).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.Equal(1, r.DequeueCount));
    }

    [Fact]
    public async Task Base64_messages_are_what_the_Functions_queue_trigger_reads_by_default()
    {
        var (queue, raw, _) = Create(WorkMessageEncoding.Base64);
        var item = WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start);

        await queue.SendAsync([item]);
        var message = (await raw.ReceiveMessageAsync()).Value;

        Assert.Equal(item.Id, JsonDocument.Parse(Convert.FromBase64String(message.Body.ToString())).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Completed_messages_are_gone()
    {
        var (queue, _, _) = Create();
        await queue.SendAsync([WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start)]);

        await queue.CompleteAsync(Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(1))));

        Assert.Equal(0, await queue.GetApproximateCountAsync());
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_delivery_handled_past_its_visibility_timeout_lets_go_and_the_delivery_that_has_it_now_settles_it()
    {
        var (queue, _, _) = Create();
        await queue.SendAsync([WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start)]);
        var lapsed = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(1)));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var current = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(1)));

        await queue.CompleteAsync(lapsed);
        await queue.ReleaseAsync(lapsed, TimeSpan.Zero);
        await queue.DeadLetterAsync(lapsed, "test");

        Assert.Equal(1, await queue.GetApproximateCountAsync());
        await queue.CompleteAsync(current);
        Assert.Equal(0, await queue.GetApproximateCountAsync());
        await queue.CompleteAsync(current);
    }

    [Fact]
    public async Task A_released_message_stays_hidden_for_its_delay_and_then_comes_back_counted()
    {
        var (queue, _, _) = Create();
        await queue.SendAsync([WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start)]);
        var first = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5)));

        await queue.ReleaseAsync(first, TimeSpan.FromSeconds(2));
        var hidden = await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5));
        ReceivedWorkItem? again = null;
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
    public async Task Malformed_and_unknown_version_messages_are_poison_recorded_and_removed()
    {
        var (queue, raw, poison) = Create(WorkMessageEncoding.PlainText);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("this is not json");
        await raw.SendMessageAsync("""{"schemaVersion":99,"id":"future"}""");

        var received = await DrainAsync(queue);
        foreach (var message in received)
        {
            var outcome = Assert.IsType<WorkItemReadResult.Poison>(message.Content);
            await queue.DeadLetterAsync(message, $"{outcome.Reason}: {outcome.Detail}");
        }

        var recorded = await poison.ListAsync(raw.Name).ToListAsync();
        Assert.Equal(2, recorded.Count);
        Assert.Contains(recorded, p => p.Reason.StartsWith(nameof(PoisonReason.Malformed), StringComparison.Ordinal) && p.Body == "this is not json");
        Assert.Contains(recorded, p => p.Reason.StartsWith(nameof(PoisonReason.UnknownSchemaVersion), StringComparison.Ordinal) && p.Reason.Contains("99", StringComparison.Ordinal));
        Assert.Equal(0, await queue.GetApproximateCountAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_base64_on_a_base64_queue_is_poison_not_an_exception()
    {
        var (queue, raw, _) = Create(WorkMessageEncoding.Base64);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("{plain text on a base64 queue}");

        var message = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5)));

        Assert.Equal(PoisonReason.Malformed, Assert.IsType<WorkItemReadResult.Poison>(message.Content).Reason);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_message_delivered_more_often_than_allowed_is_poison()
    {
        var (queue, _, _) = Create(maxDequeueCount: 1);
        await queue.SendAsync([WorkItem.Delete(Job, "c-1", ObjectKind.User, new SourceId("u1"), TestTables.Start)]);
        var first = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5)));
        await queue.ReleaseAsync(first, TimeSpan.Zero);

        var second = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(5)));

        Assert.IsType<WorkItemReadResult.Readable>(first.Content);
        Assert.Equal(PoisonReason.TooManyDeliveries, Assert.IsType<WorkItemReadResult.Poison>(second.Content).Reason);
    }

    [Fact]
    public async Task A_membership_change_of_20000_edges_travels_as_chunks_that_each_fit_and_arrive_whole()
    {
        var (queue, _, _) = Create(WorkMessageEncoding.Base64);
        var add = Enumerable.Range(0, 14_000).Select(i => new MemberReference(new SourceId(Guid.NewGuid().ToString()), ObjectKind.User)).ToList();
        var remove = Enumerable.Range(0, 6_000).Select(i => new MemberReference(new SourceId(Guid.NewGuid().ToString()), ObjectKind.User)).ToList();
        var chunks = MembershipChunkSplitter.Split(Job, "c-1", new SourceId("g-all"), add, remove, TestTables.Start);

        await queue.SendAsync(chunks);
        var received = (await DrainAsync(queue)).Select(r => Assert.IsType<WorkItemReadResult.Readable>(r.Content).Item).ToList();

        Assert.Equal(chunks.Count, received.Count);
        Assert.All(received, item => Assert.True(WorkItemSerializer.MeasureBytes(item) <= WorkItemSerializer.MaxMessageBytes));
        Assert.Equal(20_000, received.Sum(item => item.Membership!.Add.Count + item.Membership.Remove.Count));
        Assert.Equal(add.Select(m => m.Id.Value).Order(StringComparer.Ordinal), received.SelectMany(i => i.Membership!.Add).Select(m => m.Id.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_with_one_oversized_item_sends_nothing()
    {
        var (queue, _, _) = Create();
        var huge = SourceObject.Create(new SourceId("big"), ObjectKind.User, [KeyValuePair.Create("notes", JsonSerializer.SerializeToElement(new string('x', 60_000)))]);

        await Assert.ThrowsAsync<WorkItemTooLargeException>(() => queue.SendAsync([
            WorkItem.Upsert(Job, "c-1", User("u1"), TestTables.Start),
            WorkItem.Upsert(Job, "c-1", huge, TestTables.Start)]));

        Assert.Equal(0, await queue.GetApproximateCountAsync());
    }
}
