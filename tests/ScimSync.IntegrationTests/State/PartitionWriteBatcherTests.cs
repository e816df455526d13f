using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ScimSync.Core.State;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class PartitionWriteBatcherTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Rows_written_at_once_by_many_callers_share_transactions_and_each_caller_waits_for_its_own_row()
    {
        var (table, requests) = await TableAsync();
        var batcher = new PartitionWriteBatcher();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            batcher.UpsertAsync(table, new TableEntity("p", $"r{i:D3}") { ["Value"] = i }, 64))));

        var rows = await table.QueryAsync<TableEntity>(row => row.PartitionKey == "p").ToListAsync();
        Assert.Equal(200, rows.Count);
        Assert.InRange(requests.Count, 2, 199);
    }

    [Fact]
    public async Task A_row_that_cannot_be_written_fails_its_own_caller_only()
    {
        var (table, _) = await TableAsync();
        var batcher = new PartitionWriteBatcher();
        await table.AddEntityAsync(new TableEntity("p", "taken"));

        var writes = Enumerable.Range(0, 20)
            .Select(i => batcher.AddAsync(table, new TableEntity("p", i == 7 ? "taken" : $"r{i:D2}"), 64))
            .ToList();
        await Task.WhenAll(writes.Select(write => write.ContinueWith(_ => { }, TaskScheduler.Default)));

        var failure = Assert.IsType<RequestFailedException>(writes[7].Exception?.InnerException);
        Assert.Equal(409, failure.Status);
        Assert.All(writes.Where((_, i) => i != 7), write => Assert.True(write.IsCompletedSuccessfully));
        Assert.Equal(20, (await table.QueryAsync<TableEntity>(row => row.PartitionKey == "p").ToListAsync()).Count);
    }

    private async Task<(TableClient Table, RequestCounter Requests)> TableAsync()
    {
        var counter = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var table = new TableServiceClient(azurite.ConnectionString, options).GetTableClient("B" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync();
        counter.Count = 0;
        return (table, counter);
    }

    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count
        {
            get => Volatile.Read(ref _count);
            set => Volatile.Write(ref _count, value);
        }

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
