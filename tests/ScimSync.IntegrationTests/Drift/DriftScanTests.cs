using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Admin;
using ScimSync.Core.Directory;
using ScimSync.Core.Drift;
using ScimSync.Core.Logging;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Convergence;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Drift;

/// <summary>
/// Drift detection and repair against each target behaviour that leaves the target other than ScimSync applied it:
/// after a sync and a drift scan (and the cycles that apply its repairs), the Atlassian emulator holds what Graph says,
/// read from the emulator's own state, and each repair is in the provisioning logs.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DriftScanTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_user_deleted_in_the_target_is_created_again_and_rejoins_all_its_groups_under_its_new_id()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        await host.SyncUntilQuietAsync();
        var upn = ConvergenceHost.Upn(host.Tenant.Snapshot().Users.Single(u => u.Id == users[0]));
        var lost = host.Atlassian.State.FindUserByUserName(upn)!;
        Assert.Equal(2, host.Atlassian.State.Groups.Count(g => g.Members.Contains(lost.Id)));
        using (var http = host.Atlassian.CreateClient())
        {
            (await http.DeleteAsync($"Users/{lost.Id}")).EnsureSuccessStatusCode();
        }

        var report = await ScanAsync(host);
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.Missing && f.SourceId?.Value == users[0]);
        await host.SyncUntilQuietAsync();

        var recreated = host.Atlassian.State.FindUserByUserName(upn)!;
        Assert.NotEqual(lost.Id, recreated.Id);
        Assert.Equal(2, host.Atlassian.State.Groups.Count(g => g.Members.Contains(recreated.Id)));
        host.AssertConverged();
        var log = await LogsAsync(host, users[0]);
        Assert.Contains(log, e => e.Steps.Any(s => s.Name == "DriftRepairScheduled"));
        Assert.Contains(log, e => e.Action == ProvisioningAction.Create && e.TargetIdentity?.Id == recreated.Id);
        Assert.DoesNotContain((await ScanAsync(host)).Findings, f => f.Repairable);
    }

    [Fact]
    public async Task A_user_a_cycle_finds_gone_is_created_again_and_its_groups_get_the_new_id_without_a_scan()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        await host.SyncUntilQuietAsync();
        var upn = Upn(host, users[0]);
        var lost = host.Atlassian.State.FindUserByUserName(upn)!;
        await DeleteInTargetAsync(host, users[0]);

        host.Tenant.UpdateUser(users[0], "jobTitle", "Came Back");
        await host.SyncUntilQuietAsync();

        var recreated = host.Atlassian.State.FindUserByUserName(upn)!;
        Assert.NotEqual(lost.Id, recreated.Id);
        Assert.Equal(2, host.Atlassian.State.Groups.Count(g => g.Members.Contains(recreated.Id)));
        host.AssertConverged();
        Assert.Contains(await LogsAsync(host, users[0]), e => e.Steps.Any(s => s.Name == "MembershipsReset"));
    }

    [Fact]
    public async Task A_create_the_target_acknowledged_and_then_lost_ends_up_in_the_target_with_its_groups()
    {
        var (seed, _) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        host.Atlassian.TargetFaults.LoseNextCreates(2);
        await host.SyncUntilQuietAsync();

        await ScanAsync(host);
        await host.SyncUntilQuietAsync();

        host.AssertConverged();
        Assert.DoesNotContain((await ScanAsync(host)).Findings, f => f.Repairable);
    }

    [Fact]
    public async Task With_readBackCreates_a_create_the_target_lost_is_not_recorded_and_the_sync_alone_creates_it_again()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed, targetSettings: new JsonObject { ["readBackCreates"] = true });
        host.Atlassian.TargetFaults.LoseNextCreates(1);

        await host.SyncUntilQuietAsync();

        host.AssertConverged();
        Assert.Equal(users.Count + 1, host.Atlassian.Counters.Count("POST /Users"));
        var lostOnce = host.Atlassian.State.Users.Single(u => u.Deleted is not null);
        var log = await LogsAsync(host, users.Single(u => Upn(host, u).Equals(lostOnce.UserName, StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(log, e => e.Steps.Any(s => s.Name == "CreateNotKept"));
    }

    [Fact]
    public async Task A_user_deactivated_in_the_target_is_made_active_again()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        await host.SyncUntilQuietAsync();
        var target = host.Atlassian.State.FindUserByUserName(Upn(host, users[3]))!;
        using (var http = host.Atlassian.CreateClient())
        {
            (await http.PatchAsJsonAsync($"Users/{target.Id}", Patch("replace", "active", false))).EnsureSuccessStatusCode();
        }

        var report = await ScanAsync(host);
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.Deactivated && f.SourceId?.Value == users[3]);
        await host.SyncUntilQuietAsync();

        Assert.True(host.Atlassian.State.FindUser(target.Id)!.Active);
        host.AssertConverged();
        Assert.Contains(await LogsAsync(host, users[3]), e => e.Steps.Any(s => s.Name == "DriftRepairScheduled"));
    }

    [Fact]
    public async Task An_attribute_the_target_dropped_silently_is_sent_again()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        await host.SyncUntilQuietAsync();
        host.Atlassian.TargetFaults.DropAttributeNext("title");
        host.Tenant.UpdateUser(users[1], "jobTitle", "Head of Drift");
        await host.SyncUntilQuietAsync();
        var target = host.Atlassian.State.FindUserByUserName(Upn(host, users[1]))!;
        Assert.NotEqual("Head of Drift", target.Attribute("title"));

        var report = await ScanAsync(host);
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.AttributesDiffer && f.Paths.Contains("title"));
        await host.SyncUntilQuietAsync();

        Assert.Equal("Head of Drift", host.Atlassian.State.FindUser(target.Id)!.Attribute("title"));
        host.AssertConverged();
        Assert.Contains(await LogsAsync(host, users[1]), e => e.Steps.Any(s => s.Name == "DriftRepairScheduled"));
    }

    [Fact]
    public async Task A_user_PATCH_the_target_ignored_with_a_200_is_sent_again()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        await host.SyncUntilQuietAsync();
        host.Atlassian.Faults.IgnoreNext(1, FaultScope.Parse("PATCH /Users/{id}"));
        host.Tenant.UpdateUser(users[2], "displayName", "Ignored Once");
        await host.SyncUntilQuietAsync();

        await ScanAsync(host);
        await host.SyncUntilQuietAsync();

        host.AssertConverged();
    }

    [Fact]
    public async Task With_readBackEvery_a_user_PATCH_ignored_with_a_204_is_read_back_and_not_recorded_as_applied()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed, targetSettings: new JsonObject { ["readBackEvery"] = 1 });
        await host.SyncUntilQuietAsync();
        host.Atlassian.Faults.IgnoreNextWithNoContent(1, FaultScope.Parse("PATCH /Users/{id}"));
        host.Tenant.UpdateUser(users[2], "jobTitle", "Read Back");

        await host.SyncAsync();

        Assert.Contains(await LogsAsync(host, users[2]), e => e.Steps.Any(s => s.Name == "AttributeNotKept"));
        await ScanAsync(host);
        await host.SyncUntilQuietAsync();
        host.AssertConverged();
    }

    [Fact]
    public async Task Members_a_group_PATCH_answered_204_did_not_add_are_added_again()
    {
        var (seed, _) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        host.Atlassian.Faults.IgnoreNextWithNoContent(2, FaultScope.Parse("PATCH /Groups/{id}"));
        await host.SyncUntilQuietAsync();

        await ScanAsync(host);
        await host.SyncUntilQuietAsync();

        host.AssertConverged();
        Assert.Equal(2, host.Atlassian.Counters.Count(RequestOutcome.Ignored));
    }

    [Fact]
    public async Task A_member_added_back_in_the_target_is_removed_again_and_foreign_members_and_users_are_left_alone()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        await host.SyncUntilQuietAsync();
        var sales = host.Tenant.Snapshot().Groups.Single(g => g.DisplayName == "Sales");
        host.Tenant.RemoveMember(sales.Id, users[0]);
        await host.SyncUntilQuietAsync();
        var group = host.Atlassian.State.FindGroupByName("Sales")!;
        var member = host.Atlassian.State.FindUserByUserName(Upn(host, users[0]))!;
        Assert.DoesNotContain(member.Id, group.Members);

        var foreign = host.Atlassian.State.SeedUser(new AtlassianSeedUser { UserName = "outsider@contoso.com" });
        using (var http = host.Atlassian.CreateClient())
        {
            var add = new JsonObject
            {
                ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                ["Operations"] = new JsonArray(new JsonObject
                {
                    ["op"] = "add",
                    ["path"] = "members",
                    ["value"] = new JsonArray(new JsonObject { ["value"] = member.Id }, new JsonObject { ["value"] = foreign.Id }),
                }),
            };
            (await http.PatchAsJsonAsync($"Groups/{group.Id}", add)).EnsureSuccessStatusCode();
        }

        var report = await ScanAsync(host);
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.MembersExtra && f.Members.Any(m => m.Value == users[0]));
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.ForeignMembers && f.ForeignMemberIds.Any(id => id.Value == foreign.Id));
        Assert.Contains(report.Findings, f => f.Kind == DriftKind.ForeignObject && f.TargetId?.Value == foreign.Id);
        await host.SyncUntilQuietAsync();

        var after = host.Atlassian.State.FindGroupByName("Sales")!;
        Assert.DoesNotContain(member.Id, after.Members);
        Assert.Contains(foreign.Id, after.Members);
        Assert.True(host.Atlassian.State.FindUser(foreign.Id)!.Active);
    }

    [Fact]
    public async Task A_target_that_ignores_startIndex_is_read_object_by_object_and_a_lost_user_is_still_found()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed, atlassian: new AtlassianEmulatorOptions { MaxPageSize = 5 });
        await host.SyncUntilQuietAsync();
        host.Atlassian.TargetFaults.IgnoresStartIndex = true;
        await DeleteInTargetAsync(host, users[5]);

        var report = await ScanAsync(host);

        Assert.Contains("ignores startIndex", report.Counts.PagingProblem, StringComparison.Ordinal);
        Assert.Single(report.Findings, f => f.Kind == DriftKind.Missing);
        Assert.DoesNotContain(report.Findings, f => f.Kind == DriftKind.ForeignObject);
        await host.SyncUntilQuietAsync();
        host.AssertConverged();
    }

    [Theory]
    [InlineData(-7)]
    [InlineData(9)]
    public async Task A_target_whose_totalResults_lie_is_read_whole_and_only_the_lost_user_is_missing(int skew)
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed, atlassian: new AtlassianEmulatorOptions { MaxPageSize = 5 });
        await host.SyncUntilQuietAsync();
        host.Atlassian.TargetFaults.TotalResultsSkew = skew;
        await DeleteInTargetAsync(host, users[7]);

        var report = await ScanAsync(host);

        Assert.Contains("totalResults", report.Counts.PagingProblem, StringComparison.Ordinal);
        var missing = Assert.Single(report.Findings, f => f.Kind == DriftKind.Missing);
        Assert.Equal(users[7], missing.SourceId?.Value);
        Assert.Equal(host.Atlassian.State.LiveUsers.Count, report.Counts.UsersRead);
        await host.SyncUntilQuietAsync();
        host.AssertConverged();
    }

    [Fact]
    public async Task Without_repairDrift_drift_is_reported_only_and_status_needs_an_admin_until_a_scan_finds_it_gone()
    {
        var (seed, users) = Tenant();
        var policy = new JsonObject { ["interval"] = "00:01:00", ["quarantineInterval"] = "00:10:00", ["repairDrift"] = false };
        await using var host = await ConvergenceHost.StartAsync(azurite, seed, policy: policy);
        await host.SyncUntilQuietAsync();
        var target = host.Atlassian.State.FindUserByUserName(Upn(host, users[4]))!;
        using var http = host.Atlassian.CreateClient();
        (await http.PatchAsJsonAsync($"Users/{target.Id}", Patch("replace", "title", "Changed By Hand"))).EnsureSuccessStatusCode();

        var plan = await host.Harness.Services.GetRequiredService<DriftScanService>().ScanAsync(CycleHarness.Job, plan: true);
        Assert.Contains(plan.Findings, f => f.Kind == DriftKind.AttributesDiffer);
        Assert.False((await host.Harness.Status.GetStatusAsync(CycleHarness.Job)).NeedsAdmin);

        await ScanAsync(host);
        await host.SyncUntilQuietAsync();

        Assert.Equal("Changed By Hand", host.Atlassian.State.FindUser(target.Id)!.Attribute("title"));
        var status = await host.Harness.Status.GetStatusAsync(CycleHarness.Job);
        Assert.True(status.NeedsAdmin);
        var drift = Assert.Single(status.Attention.Drift);
        Assert.Equal(users[4], drift.SourceId.Value);
        Assert.Contains(await LogsAsync(host, users[4]), e => e.Steps.Any(s => s.Name == "DriftNotRepaired"));

        // The admin corrects the target; the next scan finds nothing and the warning goes.
        var title = ConvergenceHost.Text(host.Tenant.Snapshot().Users.Single(u => u.Id == users[4]), "jobTitle");
        (await http.PatchAsJsonAsync($"Users/{target.Id}", Patch("replace", "title", title!))).EnsureSuccessStatusCode();
        await ScanAsync(host);
        Assert.False((await host.Harness.Status.GetStatusAsync(CycleHarness.Job)).NeedsAdmin);
    }

    [Fact]
    public async Task A_repair_that_does_not_hold_needs_an_admin_after_the_second_scan()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        await host.SyncUntilQuietAsync();
        var target = host.Atlassian.State.FindUserByUserName(Upn(host, users[6]))!;
        using var http = host.Atlassian.CreateClient();
        (await http.PatchAsJsonAsync($"Users/{target.Id}", Patch("replace", "title", "Sticky"))).EnsureSuccessStatusCode();

        // The target drops the repair too: the drift is found again, and persisting drift needs an admin.
        host.Atlassian.TargetFaults.DropAttributeNext("title");
        await ScanAsync(host);
        Assert.False((await host.Harness.Status.GetStatusAsync(CycleHarness.Job)).NeedsAdmin);
        await host.SyncUntilQuietAsync();
        await ScanAsync(host);

        Assert.True((await host.Harness.Status.GetStatusAsync(CycleHarness.Job)).NeedsAdmin);
        await host.SyncUntilQuietAsync();
        host.AssertConverged();
    }

    [Fact]
    public async Task The_scheduler_tick_runs_a_drift_scan_once_its_interval_has_passed()
    {
        var (seed, users) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        await host.SyncUntilQuietAsync();
        var runner = host.Harness.Services.GetRequiredService<DueDriftScanRunner>();
        Assert.Empty(await runner.RunDueAsync());
        await DeleteInTargetAsync(host, users[8]);
        Assert.Empty(await runner.RunDueAsync());

        host.Harness.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var scans = await runner.RunDueAsync();

        Assert.Contains(Assert.Single(scans).Findings, f => f.Kind == DriftKind.Missing);
        Assert.Empty(await runner.RunDueAsync());
        await host.SyncUntilQuietAsync();
        host.AssertConverged();
    }

    private static Task<DriftScanReport> ScanAsync(ConvergenceHost host) =>
        host.Harness.Services.GetRequiredService<DriftScanService>().ScanAsync(CycleHarness.Job);

    private static async Task DeleteInTargetAsync(ConvergenceHost host, string user)
    {
        var target = host.Atlassian.State.FindUserByUserName(Upn(host, user))!;
        using var http = host.Atlassian.CreateClient();
        (await http.DeleteAsync($"Users/{target.Id}")).EnsureSuccessStatusCode();
    }

    private static async Task<List<ProvisioningLogEntry>> LogsAsync(ConvergenceHost host, string sourceId)
    {
        var page = await host.Harness.Services.GetRequiredService<ProvisioningLogStore>()
            .QueryAsync(new ProvisioningLogQuery(CycleHarness.Job) { SourceId = sourceId }, pageSize: 1000);
        return [.. page.Entries];
    }

    private static JsonObject Patch(string op, string path, JsonNode value) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(new JsonObject { ["op"] = op, ["path"] = path, ["value"] = value }),
    };

    private static string Upn(ConvergenceHost host, string id) => ConvergenceHost.Upn(host.Tenant.Snapshot().Users.Single(u => u.Id == id));

    /// <summary>Twelve assigned users; Sales (the first four) and Support (the first and the last four) are assigned groups.</summary>
    private static (DirectorySeed Seed, IReadOnlyList<string> Users) Tenant()
    {
        var builder = new DirectorySeedBuilder();
        var users = builder.AddUsers(12);
        var sales = builder.AddGroup("Sales", users.Take(4));
        var support = builder.AddGroup("Support", users.Take(1).Concat(users.Skip(8)));
        foreach (var user in users)
        {
            builder.Assign(user, ObjectType.User);
        }

        builder.Assign(sales, ObjectType.Group).Assign(support, ObjectType.Group);
        return (builder.Build(), users);
    }
}
