using ScimSync.Core.Cycle;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Convergence;

/// <summary>
/// The engine against each way Graph may answer that a client could misread (graph-delta.md §1-4), one at a time:
/// after the first sync and after a round of every kind of change, Atlassian holds each user in scope exactly once,
/// with Graph's attributes, and each assigned group with its members.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GraphBehaviourConvergenceTests(AzuriteFixture azurite)
{
    private static readonly string[] Skills = ["SCIM"];

    [Fact]
    public Task With_Graph_defaults_a_token_on_every_request_and_expand_refused_the_engine_converges() =>
        ConvergesAsync(new GraphEmulatorOptions());

    [Fact]
    public Task With_the_same_objects_repeated_within_pages_and_across_pages_the_engine_converges_without_duplicates() =>
        ConvergesAsync(new GraphEmulatorOptions { RepeatObjects = true, UserPageSize = 3, GroupPageSize = 1, MembersPerPage = 4 });

    [Fact]
    public Task With_no_fixed_order_of_objects_and_members_the_engine_converges() =>
        ConvergesAsync(new GraphEmulatorOptions { ShuffleOrder = true, UserPageSize = 5, GroupPageSize = 2, MembersPerPage = 4 });

    [Fact]
    public Task With_page_sizes_that_vary_within_a_round_the_engine_converges() =>
        ConvergesAsync(new GraphEmulatorOptions { VaryPageSizes = true, UserPageSize = 9, GroupPageSize = 2, MembersPerPage = 6, RandomSeed = 7 });

    [Fact]
    public Task With_partial_updated_objects_the_engine_converges() =>
        ConvergesAsync(new GraphEmulatorOptions { SendChangedPropertiesOnly = true });

    [Fact]
    public Task With_delta_lagging_behind_assignments_by_a_few_requests_the_engine_converges_within_a_few_cycles() =>
        ConvergesAsync(new GraphEmulatorOptions { ReplicaLagRequests = 3 }, cycles: 4);

    [Fact]
    public Task With_throttling_answered_with_a_decimal_Retry_After_the_engine_retries_and_converges() =>
        ConvergesAsync(new GraphEmulatorOptions(), beforeChanges: host => host.Harness.Graph.Faults.ThrottleNext(2, TimeSpan.FromSeconds(0.25)));

    [Fact]
    public async Task With_former_members_reported_as_removed_in_initial_rounds_the_engine_converges_and_a_resync_changes_nothing()
    {
        var tenant = new ScenarioTenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, tenant.Seed, new GraphEmulatorOptions { ReportRemovedMembersInInitialRound = true });
        host.Tenant.RemoveMember(tenant.Sales, tenant.SalesOnly[0]);
        host.Tenant.AddMember(tenant.Sales, tenant.SalesOnly[0]);
        host.Tenant.RemoveMember(tenant.Sales, tenant.SalesOnly[1]);

        await host.SyncUntilQuietAsync();
        host.AssertConverged();

        host.Harness.Graph.Controls.ExpireAllTokens();
        host.Atlassian.Journal.Clear();
        var resync = await host.SyncAsync();

        Assert.True(resync.FullRead);
        Assert.Empty(host.Atlassian.Journal.Entries);
        host.AssertConverged();
        await ChangeAndConvergeAsync(host, tenant, cycles: 2);
    }

    [Fact]
    public async Task A_soft_deleted_group_takes_its_members_out_of_scope_and_its_restore_brings_them_back()
    {
        var tenant = new ScenarioTenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, tenant.Seed);
        await host.SyncUntilQuietAsync();
        host.AssertConverged();

        host.Tenant.SoftDeleteGroup(tenant.Sales);
        await host.SyncUntilQuietAsync();

        host.AssertConverged();
        Assert.All(tenant.SalesOnly, id => Assert.False(host.Atlassian.State.FindUserByUserName(Upn(host, id))!.Active));

        host.Tenant.RestoreGroup(tenant.Sales);
        await host.SyncUntilQuietAsync();

        host.AssertConverged();
        Assert.All(tenant.SalesOnly, id => Assert.True(host.Atlassian.State.FindUserByUserName(Upn(host, id))!.Active));
    }

    [Fact]
    public async Task A_change_to_a_property_that_does_not_trigger_delta_sends_nothing_and_the_engine_stays_converged()
    {
        var tenant = new ScenarioTenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, tenant.Seed);
        await host.SyncUntilQuietAsync();
        host.Tenant.UpdateUser(tenant.Direct[0], "skills", Skills);
        host.Tenant.UpdateUser(tenant.Direct[1], "aboutMe", "Changed where delta does not look");
        host.Atlassian.Journal.Clear();

        var report = await host.SyncAsync();

        Assert.Equal(0, report.Enqueued);
        Assert.Empty(host.Atlassian.Journal.Entries);
        host.AssertConverged();
        await ChangeAndConvergeAsync(host, tenant, cycles: 2);
    }

    private async Task ConvergesAsync(GraphEmulatorOptions graph, Action<ConvergenceHost>? beforeChanges = null, int cycles = 2)
    {
        var tenant = new ScenarioTenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, tenant.Seed, graph);
        beforeChanges?.Invoke(host);
        for (var i = 0; i < cycles; i++)
        {
            Assert.Equal(CycleStatus.Completed, (await host.SyncAsync()).Status);
        }

        host.AssertConverged();
        beforeChanges?.Invoke(host);
        await ChangeAndConvergeAsync(host, tenant, cycles);
        if (beforeChanges is not null)
        {
            Assert.True(host.Harness.Graph.Counters.Count(RequestOutcome.Throttled) >= 4);
        }
    }

    /// <summary>One of every kind of change, then a few cycles, then the check.</summary>
    private static async Task ChangeAndConvergeAsync(ConvergenceHost host, ScenarioTenant tenant, int cycles)
    {
        var graph = host.Tenant;
        graph.UpdateUser(tenant.Direct[0], "displayName", "Renamed Direct");
        graph.UpdateUser(tenant.Direct[1], "jobTitle", "Lead");
        graph.UpdateUser(tenant.Direct[2], "department", null);
        graph.DisableUser(tenant.Direct[3]);
        graph.Unassign(tenant.Direct[4]);
        var added = graph.AddUser("newcomer@contoso.com", "New Comer");
        graph.UpdateUser(added, new Dictionary<string, object?> { ["givenName"] = "New", ["surname"] = "Comer", ["mail"] = "newcomer@contoso.com" });
        graph.Assign(added);
        graph.AddMember(tenant.Sales, tenant.Direct[5]);
        graph.RemoveMember(tenant.Sales, tenant.SalesOnly[2]);
        graph.AddMember(tenant.Engineering, tenant.SalesOnly[3]);
        graph.UpdateUser(tenant.MailAlias, "userPrincipalName", "rita.new@contoso.com");
        for (var i = 0; i < cycles; i++)
        {
            Assert.Equal(CycleStatus.Completed, (await host.SyncAsync()).Status);
        }

        host.AssertConverged();
    }

    private static string Upn(ConvergenceHost host, string id) =>
        ConvergenceHost.Upn(host.Tenant.Snapshot().Users.Single(u => u.Id == id));

    /// <summary>12 users assigned directly, two assigned groups of 8 (Sales, Engineering) whose members are only in scope through them.</summary>
    private sealed class ScenarioTenant
    {
        public ScenarioTenant()
        {
            var seed = new DirectorySeedBuilder();
            Direct = seed.AddUsers(12, key: "direct");
            MailAlias = seed.AddUser("rita@contoso.com", "Rita Alias", new Dictionary<string, object?>
            {
                ["mail"] = "rita.alias@contoso.com", ["givenName"] = "Rita", ["surname"] = "Alias", ["jobTitle"] = "Staff",
            });
            seed.Assign(MailAlias, ObjectType.User);
            SalesOnly = seed.AddUsers(8, department: "Sales", key: "sales");
            var engineers = seed.AddUsers(8, department: "Engineering", key: "engineering");
            Sales = seed.AddGroup("Sales", SalesOnly);
            Engineering = seed.AddGroup("Engineering", engineers);
            foreach (var user in Direct)
            {
                seed.Assign(user, ObjectType.User);
            }

            seed.Assign(Sales, ObjectType.Group).Assign(Engineering, ObjectType.Group);
            Seed = seed.Build();
        }

        public DirectorySeed Seed { get; }

        public IReadOnlyList<string> Direct { get; }

        /// <summary>A user whose mail differs from its UPN: the work email must stay the mail when only the UPN changes.</summary>
        public string MailAlias { get; }

        public IReadOnlyList<string> SalesOnly { get; }

        public string Sales { get; }

        public string Engineering { get; }
    }
}
