using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Admin;
using ScimSync.Core.Cycle;
using ScimSync.Core.Logging;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.EndToEnd;

/// <summary>
/// The plan and the sync decide with the same rules: for every change a plan lists, the sync that follows logs one
/// entry for the same change id, with the same action, or the same skip and reason code.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlanAgreesWithSyncTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions
    {
        Seed = new AtlassianSeed
        {
            Users = [new AtlassianSeedUser { UserName = "adopted@contoso.com", DisplayName = "Old Name", GivenName = "Old", FamilyName = "Name" }],
        },
    });

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Fact]
    public async Task Plan_and_sync_of_the_same_tenant_agree_item_for_item_on_an_initial_and_an_incremental_cycle()
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(5, key: "plan");
        var adopted = seed.AddUser("adopted@contoso.com", "Adopted Person");
        var external = seed.AddUser("guest@elsewhere.org", "Guest");
        foreach (var user in users.Append(adopted).Append(external))
        {
            seed.Assign(user, ObjectType.User);
        }

        var engineering = seed.AddGroup("Engineering", [users[0], users[1], adopted, external]);
        var operations = seed.AddGroup("Ops", [users[2]]);
        seed.Assign(engineering, ObjectType.Group);
        seed.Assign(operations, ObjectType.Group);
        await using var harness = await CycleHarness.StartAsync(azurite, seed.Build(), new CycleHarnessOptions
        {
            TargetBaseUrl = _atlassian.BaseUrl,
            Token = _atlassian.ApiKey,
            Policy = new JsonObject { ["interval"] = "00:01:00", ["quarantineInterval"] = "00:30:00" },
            Settings = new Dictionary<string, string?>
            {
                ["ScimSync:Worker:BaseRetryDelay"] = "00:00:00.200",
                ["ScimSync:Worker:MaxRetryDelay"] = "00:00:01",
                ["ScimSync:Worker:InFlightGrace"] = "00:00:00",
            },
        });

        var initial = await AssertSyncDoesWhatThePlanSaidAsync(harness);
        Assert.Contains(initial, change => change.Action == ProvisioningAction.Create && change.WouldWrite);
        Assert.Contains(initial, change => change.SourceId.Value == adopted && change.Action == ProvisioningAction.Update && change.Reason.StartsWith("Would adopt", StringComparison.Ordinal));
        Assert.Contains(initial, change => change.SourceId.Value == external && change.ErrorCode == "InvalidDomain");

        harness.Graph.Tenant.UpdateUser(users[0], "jobTitle", "Principal Engineer");
        harness.Graph.Tenant.Unassign(users[3]);
        harness.Graph.Tenant.RenameGroup(operations, "Operations");
        harness.Graph.Tenant.RemoveMember(engineering, users[1]);

        var incremental = await AssertSyncDoesWhatThePlanSaidAsync(harness);
        Assert.Contains(incremental, change => change.SourceId.Value == users[0] && change.Action == ProvisioningAction.Update && change.WouldWrite);
        Assert.Contains(incremental, change => change.SourceId.Value == users[3] && change.Action == ProvisioningAction.Disable);
        Assert.Contains(incremental, change => change.SourceId.Value == operations && change.ErrorCode == "GroupRenameNotSupported");
        Assert.Contains(incremental, change => change.SourceId.Value == engineering && change.ModifiedProperties.Any(p => p.DisplayName == "members (removed)"));
    }

    /// <summary>Plans the job, syncs it, and checks each planned change against the log entry of the same change id.</summary>
    private static async Task<IReadOnlyList<PlannedObjectChange>> AssertSyncDoesWhatThePlanSaidAsync(CycleHarness harness)
    {
        var plan = await harness.Services.GetRequiredService<PlanService>().PlanAsync(CycleHarness.Job);
        var report = await harness.Runner.RunAsync(CycleHarness.Job);
        await harness.Services.GetRequiredService<QueueWorker>().DrainAsync(4, stopWhenEmpty: true);
        Assert.Equal(CycleStatus.Completed, report.Status);

        var page = await harness.Services.GetRequiredService<ProvisioningLogStore>().QueryAsync(
            new ProvisioningLogQuery(CycleHarness.Job) { CycleId = report.CycleId, From = DateTimeOffset.UtcNow.AddDays(-1) }, null, 1000);
        Assert.Equal(
            plan.Changes.Select(change => change.ChangeId!).Order(StringComparer.Ordinal),
            page.Entries.Select(entry => entry.ChangeId).Order(StringComparer.Ordinal));
        foreach (var change in plan.Changes)
        {
            var entry = page.Entries.Single(entry => entry.ChangeId == change.ChangeId);
            var what = $"{change.Kind} {change.DisplayName} ({change.Operation}): planned {change.Action} {change.ErrorCode} '{change.Reason}', logged {entry.Action} {entry.Status} {entry.Error?.ErrorCode} '{entry.Error?.Reason}'";
            if (change.Action == ProvisioningAction.Other)
            {
                Assert.True(entry.Status == ProvisioningStatus.Skipped && entry.Error?.ErrorCode == change.ErrorCode, what);
            }
            else
            {
                Assert.True(entry.Action == change.Action && entry.Status is ProvisioningStatus.Success or ProvisioningStatus.Warning, what);
                Assert.Equal(
                    change.ModifiedProperties.Select(property => property.DisplayName).Order(StringComparer.Ordinal),
                    entry.ModifiedProperties.Select(property => property.DisplayName).Order(StringComparer.Ordinal));
            }
        }

        return plan.Changes;
    }
}
