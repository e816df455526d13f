using Azure.Data.Tables;
using Azure.Storage.Queues;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class AzuriteFixtureTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_table_entity_written_to_Azurite_reads_back()
    {
        var table = new TableClient(azurite.ConnectionString, "FixtureCheck" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();

        await table.AddEntityAsync(new TableEntity("job-1", "state") { ["Status"] = "Active" });
        var read = await table.GetEntityAsync<TableEntity>("job-1", "state");

        Assert.Equal("Active", read.Value.GetString("Status"));
    }

    [Fact]
    public async Task A_queue_message_sent_to_Azurite_is_received()
    {
        var queue = new QueueClient(azurite.ConnectionString, "fixture-check-" + Guid.NewGuid().ToString("N")[..8]);
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("{\"hello\":\"world\"}");
        var received = await queue.ReceiveMessageAsync();

        Assert.Equal("{\"hello\":\"world\"}", received.Value.Body.ToString());
    }
}
