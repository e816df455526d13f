using Azure.Messaging.ServiceBus;
using ScimSync.Functions.Tests.Hosting;
using ScimSync.Functions.Tests.ServiceBus;
using ScimSync.Functions.Work;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.Functions.Tests.Functions;

/// <summary>
/// The Service Bus trigger's own source, compiled against the stand-ins with the extension's public shape and driven
/// with messages from <see cref="ServiceBusModelFactory"/>; reconciliation and settlement are real.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusProvisionObjectFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Each_work_item_message_is_provisioned_in_Atlassian_and_completed()
    {
        var (seed, users) = AppScenario.AssignedUsers(3);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        var messages = await TakeAsServiceBusMessagesAsync(app);
        var actions = new RecordingMessageActions();

        foreach (var message in messages)
        {
            await app.Function<ServiceBusProvisionObjectFunction>().RunAsync(message, actions, CancellationToken.None);
        }

        Assert.Equal(messages.Select(m => (m.MessageId, "Complete")).Order(), actions.Settled.Order());
        Assert.All(users, user => Assert.True(app.AtlassianUserOf(user)?.Active, $"{user} is not active in Atlassian"));
    }

    [Fact]
    public async Task An_unreadable_message_is_recorded_as_poison_and_completed_not_dead_lettered()
    {
        var (seed, _) = AppScenario.AssignedUsers(1);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString("{\"schemaVersion\": 99}"), messageId: "unreadable-1", deliveryCount: 1);
        var actions = new RecordingMessageActions();

        await app.Function<ServiceBusProvisionObjectFunction>().RunAsync(message, actions, CancellationToken.None);

        Assert.Equal([("unreadable-1", "Complete")], actions.Settled);
        var recorded = Assert.Single(await PoisonTests.PoisonRecordsAsync(app));
        Assert.Equal("unreadable-1", recorded.MessageId);
    }

    /// <summary>The work items a cycle enqueued, taken off the Storage queue and delivered as Service Bus would.</summary>
    private static async Task<List<ServiceBusReceivedMessage>> TakeAsServiceBusMessagesAsync(FunctionsAppHarness app)
    {
        var messages = new List<ServiceBusReceivedMessage>();
        foreach (var queued in (await app.Host.WorkQueue.ReceiveMessagesAsync(32)).Value)
        {
            messages.Add(ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: queued.Body, messageId: queued.MessageId, contentType: "application/json", deliveryCount: 1));
            await app.Host.WorkQueue.DeleteMessageAsync(queued.MessageId, queued.PopReceipt);
        }

        Assert.NotEmpty(messages);
        return messages;
    }
}
