using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Objects;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Emulators.Graph;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.EndToEnd;

/// <summary>
/// Level-triggered reconciliation end to end: whatever happens to a message (target faults, an open circuit, a killed
/// worker, a target that acknowledges and ignores, a long quarantine), later cycles apply every change, and the
/// target is read to prove it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NoChangeIsLostTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Retries within seconds and no grace for messages in flight, so each cycle re-drives whatever is unsettled.
    private static readonly Dictionary<string, string?> FastRedrive = new()
    {
        ["ScimSync:Worker:BaseRetryDelay"] = "00:00:00.200",
        ["ScimSync:Worker:MaxRetryDelay"] = "00:00:02",
        ["ScimSync:Worker:MaxWaitForRetries"] = "00:00:10",
        ["ScimSync:Worker:InFlightGrace"] = "00:00:00",
        ["ScimSync:Worker:PoisonRetryDelay"] = "00:00:00",
        ["ScimSync:Worker:VisibilityTimeout"] = "00:00:10",
    };

    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task Thirty_percent_server_errors_through_the_demo_tenants_initial_sync_lose_nothing_once_two_clean_cycles_ran()
    {
        await using var harness = await StartAsync(DirectorySeedFile.Load(DemoDirectory.Path));
        var desired = await DesiredAsync(harness);
        _atlassian.Faults.ServerErrorShare = 0.3;

        await SyncAsync(harness);
        _atlassian.Faults.ServerErrorShare = 0;
        await SyncAsync(harness);
        await SyncAsync(harness);

        AssertTargetHolds(desired);
        Assert.NotEqual(JobStatus.Quarantined, (await harness.StateAsync()).Status);
        Assert.Empty(await UnsettledAsync(harness, ObjectKind.User));
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_target_that_refuses_every_request_for_a_while_opens_the_circuit_and_loses_nothing()
    {
        var (seed, _) = Assigned(60);
        await using var harness = await StartAsync(seed);
        var desired = await DesiredAsync(harness);
        _atlassian.Faults.FailNext(100_000, 503);

        var outage = SyncAsync(harness);
        await Task.Delay(TimeSpan.FromSeconds(4));
        _atlassian.Faults.Reset();
        await outage;
        await SyncAsync(harness);
        await SyncAsync(harness);

        AssertTargetHolds(desired);
        Assert.Empty(await UnsettledAsync(harness, ObjectKind.User));
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_worker_killed_mid_drain_loses_nothing_and_duplicates_nothing()
    {
        var (seed, _) = Assigned(80);
        await using var harness = await StartAsync(seed);
        var desired = await DesiredAsync(harness);
        // Slow enough that eight slots cannot create 80 users within the second the worker lives (at least ten rounds of 100 ms).
        _atlassian.Faults.Latency = TimeSpan.FromMilliseconds(100);
        await harness.Runner.RunAsync(CycleHarness.Job);

        using (var kill = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await Worker(harness).DrainAsync(8, stopWhenEmpty: true, cancellationToken: kill.Token);
        }

        Assert.InRange(_atlassian.State.LiveUsers.Count, 1, 79);
        _atlassian.Faults.Reset();
        // A worker killed while it took a create claim leaves the claim behind; it lapses after three minutes.
        harness.Clock.Advance(TimeSpan.FromMinutes(4));
        await SyncAsync(harness);
        await SyncAsync(harness);

        AssertTargetHolds(desired);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_change_and_a_deactivation_the_target_acknowledged_but_ignored_are_sent_again_by_the_next_cycle()
    {
        var (seed, users) = Assigned(5);
        await using var harness = await StartAsync(seed);
        await SyncAsync(harness);

        harness.Graph.Tenant.UpdateUser(users[0], "displayName", "Ignored Once");
        harness.Graph.Tenant.Unassign(users[1]);
        _atlassian.Faults.IgnoreNext(2, new FaultScope("PATCH", "/Users/{id}"));
        await SyncAsync(harness);

        Assert.NotEqual("Ignored Once", UserOf(harness, users[0]).DisplayName);
        Assert.True(UserOf(harness, users[1]).Active);
        var unsettled = await UnsettledAsync(harness, ObjectKind.User);
        Assert.Equal(2, unsettled.Count);
        Assert.All(unsettled, row => Assert.Equal("AttributeNotKept", row.LastError?.Code));
        var waiting = await harness.Status.GetStatusAsync(CycleHarness.Job);
        Assert.True(waiting.NeedsAdmin);
        Assert.Equal(2, waiting.Attention.Unapplied.Count);

        await SyncAsync(harness);

        Assert.Equal("Ignored Once", UserOf(harness, users[0]).DisplayName);
        Assert.False(UserOf(harness, users[1]).Active);
        Assert.Empty(await UnsettledAsync(harness, ObjectKind.User));
        Assert.False((await harness.Status.GetStatusAsync(CycleHarness.Job)).NeedsAdmin);
    }

    [Fact]
    public async Task Six_hours_of_quarantine_lose_no_change_made_meanwhile()
    {
        var (seed, users) = Assigned(12);
        await using var harness = await StartAsync(seed, token: "not-the-directory-key");
        await SyncAsync(harness);
        Assert.Equal(JobStatus.Quarantined, (await harness.StateAsync()).Status);
        harness.Graph.Tenant.UpdateUser(users[3], "displayName", "Changed During Quarantine");

        for (var hour = 1; hour <= 6; hour++)
        {
            harness.Clock.Advance(TimeSpan.FromHours(1));
            await SyncAsync(harness);
            Assert.Equal(JobStatus.Quarantined, (await harness.StateAsync()).Status);
        }

        harness.Configuration["TestScimToken"] = _atlassian.ApiKey;
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await SyncAsync(harness);

        Assert.Equal(JobStatus.Active, (await harness.StateAsync()).Status);
        Assert.Equal(12, _atlassian.State.LiveUsers.Count(user => user.Active));
        Assert.Equal("Changed During Quarantine", UserOf(harness, users[3]).DisplayName);
        Assert.Empty(await UnsettledAsync(harness, ObjectKind.User));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task A_catastrophic_regex_and_a_100_KB_attribute_each_fail_one_user_while_everyone_else_is_provisioned()
    {
        var (seed, users) = Assigned(20);
        var filters = new JsonArray(new JsonObject
        {
            ["name"] = "Catastrophic",
            ["appliesTo"] = "user",
            ["clauses"] = new JsonArray(new JsonObject { ["attribute"] = "department", ["operator"] = "NOT REGEX MATCH", ["value"] = "^(a+)+$" }),
        });
        await using var harness = await StartAsync(seed, scopeFilters: filters);
        harness.Graph.Tenant.UpdateUser(users[0], "department", new string('a', 40) + "!");
        harness.Graph.Tenant.UpdateUser(users[1], "displayName", new string('x', 100_000));

        var report = await SyncAsync(harness);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.Equal(18, _atlassian.State.LiveUsers.Count(user => user.Active));
        var failures = (await harness.Services.GetRequiredService<ProvisioningLogStore>()
            .QueryAsync(new ProvisioningLogQuery(CycleHarness.Job) { Status = ProvisioningStatus.Failure }, pageSize: 1000)).Entries;
        Assert.Contains(failures, entry => entry.SourceIdentity.Id == users[0] && entry.Error?.ErrorCode == "ScopingFilterFailed");
        Assert.Contains(failures, entry => entry.SourceIdentity.Id == users[1] && entry.Error?.ErrorCode == "WorkItemTooLarge");
        var escrowed = (await UnsettledAsync(harness, ObjectKind.User)).Select(row => row.SourceId.Value).Order().ToList();
        Assert.Equal(new[] { users[0], users[1] }.Order().ToList(), escrowed);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task Unassigning_a_whole_400_user_tenant_is_held_and_restoring_the_assignments_clears_the_hold_without_a_deactivation()
    {
        var (seed, users) = Assigned(400);
        await using var harness = await StartAsync(seed);
        await SyncAsync(harness);
        Assert.Equal(400, _atlassian.State.LiveUsers.Count(user => user.Active));

        foreach (var user in users)
        {
            harness.Graph.Tenant.Unassign(user);
        }

        var held = await SyncAsync(harness);

        Assert.Equal(CycleStatus.CompletedWithHeldDeletions, held.Status);
        Assert.Equal(JobStatus.DeletionsHeld, (await harness.StateAsync()).Status);
        Assert.Equal(400, _atlassian.State.LiveUsers.Count(user => user.Active));

        foreach (var user in users.Take(390))
        {
            harness.Graph.Tenant.Assign(user);
        }

        // An admin who allows the (now stale) held list deactivates only the ten still unassigned.
        await harness.Admin.AllowDeletesAsync(CycleHarness.Job);
        await Worker(harness).DrainAsync(16, stopWhenEmpty: true);
        Assert.Equal(390, _atlassian.State.LiveUsers.Count(user => user.Active));

        foreach (var user in users.Skip(390))
        {
            harness.Graph.Tenant.Unassign(user);
        }

        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        await SyncAsync(harness);
        Assert.Equal(JobStatus.Active, (await harness.StateAsync()).Status);
    }

    [Fact]
    public async Task A_hold_whose_cause_is_gone_clears_on_the_next_cycle()
    {
        var (seed, users) = Assigned(50);
        await using var harness = await StartAsync(seed);
        await SyncAsync(harness);
        foreach (var user in users)
        {
            harness.Graph.Tenant.Unassign(user);
        }

        await SyncAsync(harness);
        Assert.Equal(JobStatus.DeletionsHeld, (await harness.StateAsync()).Status);
        foreach (var user in users)
        {
            harness.Graph.Tenant.Assign(user);
        }

        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        var cleared = await SyncAsync(harness);

        Assert.Equal(CycleStatus.Completed, cleared.Status);
        Assert.Equal(JobStatus.Active, (await harness.StateAsync()).Status);
        Assert.Equal(50, _atlassian.State.LiveUsers.Count(user => user.Active));
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_lost_state_store_is_reported_in_the_cycle_and_status_and_the_users_are_adopted_not_duplicated()
    {
        var (seed, _) = Assigned(10);
        await using (var before = await StartAsync(seed))
        {
            var first = await SyncAsync(before);
            Assert.DoesNotContain("state store", first.Message, StringComparison.Ordinal);
        }

        // A harness with tables of its own: the same target, and a state store that knows nothing.
        await using var after = await StartAsync(seed);
        var report = await SyncAsync(after);

        Assert.Contains("its state store was lost or emptied", report.Message, StringComparison.Ordinal);
        Assert.Contains("state store was lost", (await after.StateAsync()).LastCycle?.Detail, StringComparison.Ordinal);
        Assert.Equal(10, _atlassian.State.LiveUsers.Count);
        Assert.Equal(10, _atlassian.State.LiveUsers.Count(user => user.Active));
    }

    private Task<CycleHarness> StartAsync(DirectorySeed seed, string? token = null, JsonArray? scopeFilters = null) =>
        CycleHarness.StartAsync(azurite, seed, new CycleHarnessOptions
        {
            Policy = new JsonObject { ["interval"] = "00:01:00", ["quarantineInterval"] = "00:30:00" },
            TargetBaseUrl = _atlassian.BaseUrl,
            Token = token ?? _atlassian.ApiKey,
            ScopeFilters = scopeFilters,
            Settings = FastRedrive,
            Configure = services => services.AddReconciliation(),
        });

    private static QueueWorker Worker(CycleHarness harness) => harness.Services.GetRequiredService<QueueWorker>();

    private static async Task<CycleReport> SyncAsync(CycleHarness harness)
    {
        var report = await harness.Runner.RunAsync(CycleHarness.Job);
        await Worker(harness).DrainAsync(16, stopWhenEmpty: true);
        return report;
    }

    private static async Task<List<ScimSync.Core.State.Objects.ObjectState>> UnsettledAsync(CycleHarness harness, ObjectKind kind) =>
        (await harness.Objects.ListUnsettledAsync(CycleHarness.Job, kind).ToListAsync()).Select(row => row.Value).ToList();

    /// <summary>
    /// What the target must hold, from a dry run of the same tenant: the users Atlassian accepts (verified domain)
    /// by userName, and each group's members by userName.
    /// </summary>
    private static async Task<DesiredTarget> DesiredAsync(CycleHarness harness)
    {
        var plan = await harness.Runner.RunAsync(CycleHarness.Job, new CycleOptions(DryRun: true));
        var upnOf = plan.PlannedItems.Where(item => item.Operation == WorkOperation.Upsert && item.Kind == ObjectKind.User)
            .ToDictionary(item => item.SourceId, item => item.Snapshot!.GetString("userPrincipalName")!.ToLowerInvariant());
        var accepted = upnOf.Values.Where(upn => upn.EndsWith("@contoso.com", StringComparison.Ordinal)).ToHashSet();
        var groups = plan.PlannedItems.Where(item => item.Operation == WorkOperation.Upsert && item.Kind == ObjectKind.Group)
            .ToDictionary(
                item => item.Snapshot!.GetString("displayName")!,
                item => plan.PlannedItems.Where(chunk => chunk.Operation == WorkOperation.MembershipChunk && chunk.SourceId == item.SourceId)
                    .SelectMany(chunk => chunk.Membership!.Add)
                    .Select(member => upnOf.GetValueOrDefault(member.Id))
                    .Where(upn => upn is not null && accepted.Contains(upn))
                    .Select(upn => upn!)
                    .Order().ToList());
        return new DesiredTarget([.. accepted.Order()], groups);
    }

    private void AssertTargetHolds(DesiredTarget desired)
    {
        var users = _atlassian.State.LiveUsers;
        Assert.Equal(users.Count, users.Select(user => user.UserName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(desired.Users, users.Where(user => user.Active).Select(user => user.UserName.ToLowerInvariant()).Order().ToList());
        foreach (var (name, members) in desired.GroupMembers)
        {
            var group = _atlassian.State.FindGroupByName(name) ?? throw new Xunit.Sdk.XunitException($"Group '{name}' is not in Atlassian.");
            var actual = group.Members.Select(id => _atlassian.State.FindUser(id)!.UserName.ToLowerInvariant()).Order().ToList();
            Assert.Equal(members, actual);
        }

        Assert.Equal(desired.GroupMembers.Count, _atlassian.State.Groups.Count);
    }

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

    private sealed record DesiredTarget(IReadOnlyList<string> Users, IReadOnlyDictionary<string, List<string>> GroupMembers);
}
