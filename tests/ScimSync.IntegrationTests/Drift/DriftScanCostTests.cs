using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Directory;
using ScimSync.Core.Drift;
using ScimSync.Core.State;
using ScimSync.Core.State.Objects;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.IntegrationTests.Convergence;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.Drift;

/// <summary>What a drift scan costs on a target that pages correctly: about one request per 100 objects.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DriftScanCostTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Users = 10_000;

    [Fact]
    public async Task A_scan_of_a_10000_user_target_reads_it_in_about_one_request_per_100_users()
    {
        await using var host = await ConvergenceHost.StartAsync(azurite, new DirectorySeedBuilder().Build());
        var table = await host.Harness.Services.GetRequiredService<StateTables>().GetAsync(StateTable.Objects);
        var rows = new List<TableTransactionAction>();
        for (var i = 0; i < Users; i++)
        {
            var user = host.Atlassian.State.SeedUser(new AtlassianSeedUser { UserName = $"user{i:D5}@contoso.com", ExternalId = $"source-{i:D5}" });
            rows.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(
                ObjectStateStore.PartitionKey(CycleHarness.Job, ObjectKind.User), ObjectStateStore.RowKey(new($"source-{i:D5}")))
            {
                ["SourceId"] = $"source-{i:D5}",
                ["Status"] = nameof(ObjectStatus.Provisioned),
                ["CreatedOrAdopted"] = true,
                ["TargetId"] = user.Id,
                ["MatchedBy"] = "created",
            }));
        }

        await TableWrites.SubmitInBatchesAsync(table, rows, CancellationToken.None);
        host.Atlassian.Counters.Reset();

        var report = await host.Harness.Services.GetRequiredService<DriftScanService>().ScanAsync(CycleHarness.Job);

        var listRequests = host.Atlassian.Counters.Count("GET /Users");
        var byId = host.Atlassian.Counters.Count("GET /Users/{id}");
        output.WriteLine($"{Users:N0} users: {listRequests} list requests, {byId} reads by id, {report.Counts.Requests} requests in all (users and groups): {100.0 * report.Counts.Requests / Users:0.00} per 100 objects");
        Assert.Equal(Users, report.Counts.UsersRead);
        Assert.Empty(report.Findings);
        Assert.Equal(0, byId);
        Assert.InRange(listRequests, Users / 100, (Users / 100) + 1);
        Assert.InRange(report.Counts.Requests, Users / 100, (Users / 100) + 2);
    }
}
