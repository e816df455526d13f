using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Objects;
using ScimSync.Core.Worker;
using ScimSync.Functions.Tests.Hosting;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.Functions.Tests.Functions;

/// <summary>Messages that cannot be processed are recorded where an admin sees them, never lost.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PoisonTests(AzuriteFixture azurite)
{
    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_message_the_host_moved_to_the_poison_queue_is_recorded_and_its_object_stays_pending_for_a_later_cycle()
    {
        var (seed, users) = AppScenario.AssignedUsers(1);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        var given = await MoveToPoisonQueueAsync(app);

        await app.DeliverPoisonAsync();

        Assert.Empty(await app.Host.PoisonQueue.PeekAllAsync());
        var recorded = Assert.Single(await PoisonRecordsAsync(app));
        Assert.Contains("poison queue", recorded.Reason, StringComparison.Ordinal);
        Assert.Equal(given.Body.ToString(), recorded.Body);
        Assert.Null(app.AtlassianUserOf(users[0]));
        var state = (await app.Services.GetRequiredService<ObjectStateStore>().GetAsync(FunctionsAppHarness.Job, ObjectKind.User, new SourceId(users[0])))!.Value;
        Assert.True(state.Pending?.Poisoned);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_poisoned_message_of_several_items_is_recorded_an_entry_per_item_and_keeps_each_object_pending()
    {
        var (seed, users) = AppScenario.AssignedUsers(3);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        var given = await MoveToPoisonQueueAsync(app);

        await app.DeliverPoisonAsync();

        var recorded = await PoisonRecordsAsync(app);
        Assert.Equal(3, recorded.Count);
        Assert.Single(recorded.Select(record => record.MessageId).Distinct());
        var objects = app.Services.GetRequiredService<ObjectStateStore>();
        foreach (var user in users)
        {
            Assert.Single(recorded, record => record.Body.Contains(user, StringComparison.Ordinal));
            Assert.Null(app.AtlassianUserOf(user));
            Assert.True((await objects.GetAsync(FunctionsAppHarness.Job, ObjectKind.User, new SourceId(user)))!.Value.Pending?.Poisoned);
        }
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task An_unreadable_message_is_recorded_as_poison_and_removed_without_failing_the_function()
    {
        var (seed, _) = AppScenario.AssignedUsers(1);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.Host.WorkQueue.CreateIfNotExistsAsync();
        await app.Host.WorkQueue.SendMessageAsync(BinaryData.FromString("{\"schemaVersion\": 99}"));

        await app.DeliverWorkAsync(patience: TimeSpan.Zero);

        Assert.Empty(await app.Host.PoisonQueue.PeekAllAsync());
        Assert.Equal(0, (await app.Host.WorkQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var recorded = Assert.Single(await PoisonRecordsAsync(app));
        Assert.Equal("{\"schemaVersion\": 99}", recorded.Body);
    }

    /// <summary>What the host does after maxDequeueCount failed deliveries: the cycle's one message, same body, on the -poison queue.</summary>
    private static async Task<Azure.Storage.Queues.Models.QueueMessage> MoveToPoisonQueueAsync(FunctionsAppHarness app)
    {
        var given = Assert.Single((await app.Host.WorkQueue.ReceiveMessagesAsync(32)).Value);
        await app.Host.PoisonQueue.CreateIfNotExistsAsync();
        await app.Host.PoisonQueue.SendMessageAsync(given.Body);
        await app.Host.WorkQueue.DeleteMessageAsync(given.MessageId, given.PopReceipt);
        return given;
    }

    internal static async Task<List<PoisonMessage>> PoisonRecordsAsync(FunctionsAppHarness app)
    {
        var records = new List<PoisonMessage>();
        await foreach (var record in app.Services.GetRequiredService<PoisonMessageStore>().ListAsync(WorkItemSettlement.PoisonSource))
        {
            records.Add(record);
        }

        return records;
    }
}
