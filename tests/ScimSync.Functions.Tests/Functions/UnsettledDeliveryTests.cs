using System.Text.RegularExpressions;
using Azure.Messaging.ServiceBus;
using ScimSync.Functions.Tests.Hosting;
using ScimSync.Functions.Tests.ServiceBus;
using ScimSync.Functions.Work;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.Functions.Tests.Functions;

/// <summary>When Core can record nothing (state storage unreachable), the transport must deliver the message again.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class UnsettledDeliveryTests(AzuriteFixture azurite)
{
    private const string Unreadable = "{\"schemaVersion\": 99}";

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task The_queue_trigger_fails_so_the_host_delivers_the_message_again()
    {
        await using var app = await StartWithoutStateAsync();
        await app.Host.WorkQueue.SendMessageAsync(BinaryData.FromString(Unreadable));
        var message = Assert.Single((await app.Host.WorkQueue.ReceiveMessagesAsync(1)).Value);

        var failure = await Assert.ThrowsAsync<DeliveryNotSettledException>(
            () => app.Function<ProvisionObjectFunction>().RunAsync(message, CancellationToken.None));

        Assert.Equal(message.MessageId, failure.MessageId);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task The_Service_Bus_trigger_abandons_the_message_so_the_bus_delivers_it_again()
    {
        await using var app = await StartWithoutStateAsync();
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(Unreadable), messageId: "unsettled-1", deliveryCount: 1);
        var actions = new RecordingMessageActions();

        await app.Function<ServiceBusProvisionObjectFunction>().RunAsync(message, actions, CancellationToken.None);

        Assert.Equal([("unsettled-1", "Abandon")], actions.Settled);
    }

    /// <summary>The app with its state tables on a loopback port where nothing listens.</summary>
    private Task<FunctionsAppHarness> StartWithoutStateAsync() =>
        FunctionsAppHarness.StartAsync(azurite, AppScenario.AssignedUsers(1).Seed, new Dictionary<string, string?>
        {
            ["ScimSync:State:ConnectionString"] = TableEndpoint().Replace(azurite.ConnectionString, "TableEndpoint=http://127.0.0.1:9/"),
        });

    [GeneratedRegex("TableEndpoint=[^;]+")]
    private static partial Regex TableEndpoint();
}
