using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Emulators.Graph;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.EndToEnd;

/// <summary>
/// The whole path as a host runs it: Graph emulator → cycle → Storage queue (Azurite) → in-process worker →
/// reconciliation → Atlassian emulator.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly CrashAfterEnqueue _crash = new();
    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Fact]
    public async Task The_demo_tenant_is_provisioned_and_one_changed_attribute_costs_one_delta_round_per_kind_and_one_PATCH()
    {
        await using var harness = await StartAsync(DirectorySeedFile.Load(DemoDirectory.Path));
        var plan = await harness.Runner.RunAsync(CycleHarness.Job, new CycleOptions(DryRun: true));

        var report = await SyncAsync(harness);

        Assert.Equal(CycleStatus.Completed, report.Status);
        var planned = plan.PlannedItems.Where(i => i.Operation == WorkOperation.Upsert && i.Kind == ObjectKind.User)
            .Select(i => i.Snapshot!.GetString("userPrincipalName")!.ToLowerInvariant())
            .Where(upn => upn.EndsWith("@contoso.com", StringComparison.Ordinal)) // Atlassian refuses users of unverified domains
            .Order().ToList();
        Assert.NotEmpty(planned);
        var provisioned = _atlassian.State.LiveUsers.Where(u => u.Active).Select(u => u.UserName.ToLowerInvariant()).Order().ToList();
        Assert.Equal(planned, provisioned);
        var plannedGroups = plan.PlannedItems.Where(i => i.Operation == WorkOperation.Upsert && i.Kind == ObjectKind.Group)
            .Select(i => i.Snapshot!.GetString("displayName")).ToList();
        Assert.All(plannedGroups, name => Assert.NotNull(_atlassian.State.FindGroupByName(name!)));
        Assert.Equal(JobStatus.Active, (await harness.StateAsync()).Status);

        var someone = plan.PlannedItems.First(i => i.Operation == WorkOperation.Upsert && i.Kind == ObjectKind.User
            && i.Snapshot!.GetString("userPrincipalName")!.EndsWith("@contoso.com", StringComparison.OrdinalIgnoreCase));
        harness.Graph.Tenant.UpdateUser(someone.SourceId.Value, "displayName", "Renamed Person");
        _atlassian.Counters.Reset();
        var users = harness.Graph.DeltaRequests(ObjectType.User);
        var groups = harness.Graph.DeltaRequests(ObjectType.Group);

        var incremental = await SyncAsync(harness);

        Assert.Equal(1, incremental.Enqueued);
        Assert.Equal(1, harness.Graph.DeltaRequests(ObjectType.User) - users);
        Assert.Equal(1, harness.Graph.DeltaRequests(ObjectType.Group) - groups);
        Assert.Equal(1, _atlassian.Counters.Count("PATCH /Users/{id}"));
        Assert.Equal(1, _atlassian.Counters.Total);
        Assert.Equal("Renamed Person", _atlassian.State.FindUserByUserName(someone.Snapshot!.GetString("userPrincipalName")!)!.DisplayName);
    }

    [Fact]
    public async Task Unassigning_a_user_deactivates_it_in_Atlassian()
    {
        var (seed, users) = Assigned(4);
        await using var harness = await StartAsync(seed);
        await SyncAsync(harness);
        Assert.True(UserOf(harness, users[0]).Active);

        harness.Graph.Tenant.Unassign(users[0]);
        var report = await SyncAsync(harness);

        Assert.Equal(1, report.Deprovisions);
        Assert.False(UserOf(harness, users[0]).Active);
        Assert.True(UserOf(harness, users[1]).Active);
    }

    [Fact]
    public async Task Six_hundred_unassignments_above_the_threshold_deactivate_nobody_until_allowed()
    {
        var (seed, users) = Assigned(620);
        await using var harness = await StartAsync(seed, new JsonObject { ["interval"] = "00:01:00", ["deletionThreshold"] = 500 });
        await SyncAsync(harness);
        Assert.Equal(620, _atlassian.State.LiveUsers.Count(u => u.Active));
        foreach (var user in users.Take(600))
        {
            harness.Graph.Tenant.Unassign(user);
        }

        var held = await SyncAsync(harness);

        Assert.Equal(CycleStatus.CompletedWithHeldDeletions, held.Status);
        Assert.Equal(620, _atlassian.State.LiveUsers.Count(u => u.Active));
        Assert.Equal(JobStatus.DeletionsHeld, (await harness.StateAsync()).Status);

        Assert.Equal(600, (await harness.Admin.AllowDeletesAsync(CycleHarness.Job)).Affected);
        await DrainAsync(harness);

        Assert.Equal(20, _atlassian.State.LiveUsers.Count(u => u.Active));
        Assert.Equal(JobStatus.Active, (await harness.StateAsync()).Status);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_cycle_killed_after_enqueue_and_before_the_watermark_repeats_with_no_duplicate_and_no_lost_change()
    {
        var (seed, users) = Assigned(30);
        await using var harness = await StartAsync(seed);
        _crash.Armed = true;
        var killed = await harness.Runner.RunAsync(CycleHarness.Job);
        _crash.Armed = false;
        Assert.Equal(CycleStatus.Failed, killed.Status);
        await DrainAsync(harness);
        harness.Graph.Tenant.UpdateUser(users[5], "displayName", "Changed While Down");

        var repeated = await SyncAsync(harness);

        Assert.Equal(CycleStatus.Completed, repeated.Status);
        Assert.True(repeated.FullRead);
        Assert.Equal(30, _atlassian.State.LiveUsers.Count);
        Assert.Equal(30, _atlassian.State.LiveUsers.Select(u => u.UserName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("Changed While Down", UserOf(harness, users[5]).DisplayName);

        _crash.Armed = true;
        harness.Graph.Tenant.UpdateUser(users[6], "displayName", "Changed Before The Crash");
        Assert.Equal(CycleStatus.Failed, (await harness.Runner.RunAsync(CycleHarness.Job)).Status);
        _crash.Armed = false;
        await SyncAsync(harness);

        Assert.Equal("Changed Before The Crash", UserOf(harness, users[6]).DisplayName);
        Assert.Equal(30, _atlassian.State.LiveUsers.Count);
    }

    [Fact]
    public async Task A_wrong_SCIM_token_quarantines_the_job_and_fixing_it_lifts_the_quarantine_on_the_next_cycle()
    {
        var (seed, _) = Assigned(5);
        await using var harness = await StartAsync(seed, token: "not-the-directory-key");

        await SyncAsync(harness);

        var quarantined = await harness.StateAsync();
        Assert.Equal(JobStatus.Quarantined, quarantined.Status);
        Assert.Contains("refused the job's credentials", quarantined.Reason, StringComparison.Ordinal);
        var status = await harness.Status.GetStatusAsync(CycleHarness.Job);
        Assert.Contains("Next attempt at", status.Summary, StringComparison.Ordinal);
        Assert.Empty(_atlassian.State.LiveUsers);
        Assert.Equal(CycleStatus.Skipped, (await harness.Runner.RunAsync(CycleHarness.Job)).Status);

        harness.Configuration["TestScimToken"] = _atlassian.ApiKey;
        harness.Clock.Advance(TimeSpan.FromMinutes(11));
        var retry = await SyncAsync(harness);

        Assert.Equal(CycleStatus.Completed, retry.Status);
        Assert.Equal(JobStatus.Active, (await harness.StateAsync()).Status);
        Assert.Equal(5, _atlassian.State.LiveUsers.Count(u => u.Active));
    }

    private Task<CycleHarness> StartAsync(DirectorySeed seed, JsonObject? policy = null, string? token = null) =>
        CycleHarness.StartAsync(azurite, seed, new CycleHarnessOptions
        {
            Policy = policy ?? new JsonObject { ["interval"] = "00:01:00", ["quarantineInterval"] = "00:10:00" },
            TargetBaseUrl = _atlassian.BaseUrl,
            Token = token ?? _atlassian.ApiKey,
            WrapSender = (_, inner) => _crash.Wrap(inner),
        });

    private static async Task<CycleReport> SyncAsync(CycleHarness harness)
    {
        var report = await harness.Runner.RunAsync(CycleHarness.Job);
        await DrainAsync(harness);
        return report;
    }

    private static Task<WorkerTotals> DrainAsync(CycleHarness harness) =>
        harness.Services.GetRequiredService<QueueWorker>().DrainAsync(32, stopWhenEmpty: true);

    /// <summary>The Atlassian user of a source user, found by its user principal name as Atlassian's userName.</summary>
    private AtlassianUser UserOf(CycleHarness harness, string sourceId)
    {
        var upn = harness.Graph.Snapshot().ActiveUsers.Single(u => u.Id == sourceId).Properties["userPrincipalName"].GetString()!;
        return _atlassian.State.FindUserByUserName(upn) ?? throw new Xunit.Sdk.XunitException($"{upn} is not in Atlassian");
    }

    private static (DirectorySeed Seed, IReadOnlyList<string> Users) Assigned(int count)
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(count);
        foreach (var user in users)
        {
            seed.Assign(user, ObjectType.User);
        }

        return (seed.Build(), users);
    }
}
