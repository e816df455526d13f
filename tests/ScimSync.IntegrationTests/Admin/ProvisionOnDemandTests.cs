using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Admin;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.Admin;

/// <summary>
/// Provision on demand in a 10,000-user tenant: the object asked for reaches the Atlassian emulator, and the Graph
/// emulator's request counters show that nothing but that object was read.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProvisionOnDemandTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private AtlassianScimEmulator _atlassian = null!;
    private CycleHarness _harness = null!;
    private IReadOnlyList<string> _users = [];
    private string _onCall = "";
    private string _everyone = "";
    private string _outsider = "";

    private ProvisionOnDemandService OnDemand => _harness.Services.GetRequiredService<ProvisionOnDemandService>();

    public async Task InitializeAsync()
    {
        _atlassian = await AtlassianScimEmulator.StartAsync();
        var seed = new DirectorySeedBuilder();
        _users = seed.AddUsers(10_000);
        _outsider = seed.AddUsers(1, department: "Contractors").Single();
        var everyone = _everyone = seed.AddGroup("Everyone", _users);
        _onCall = seed.AddGroup("On-call", _users.Take(3));
        seed.Assign(everyone, ObjectType.Group).Assign(_onCall, ObjectType.Group);
        _harness = await CycleHarness.StartAsync(azurite, seed.Build(), new CycleHarnessOptions
        {
            TargetBaseUrl = _atlassian.BaseUrl,
            Token = _atlassian.ApiKey,
        });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _atlassian.DisposeAsync();
    }

    private string UserName(string id) =>
        _harness.Graph.Snapshot().Users.Single(user => user.Id == id).Properties["userPrincipalName"].GetString()!.ToLowerInvariant();

    [Fact]
    public async Task One_user_is_created_in_the_target_for_three_Graph_requests()
    {
        var user = _users[4_321];
        _harness.Graph.Counters.Reset();

        var done = await OnDemand.ProvisionAsync(CycleHarness.Job, new SourceId(user));

        var requests = _harness.Graph.Counters.Total;
        output.WriteLine($"Graph requests for one user: {requests}: {string.Join(", ", _harness.Graph.Counters.Snapshot().Keys)}");
        Assert.Equal(OnDemandResult.Succeeded, done.Result);
        Assert.Equal(ObjectKind.User, done.Kind);
        output.WriteLine(done.Scope);
        Assert.Contains(_everyone, done.Scope, StringComparison.OrdinalIgnoreCase);
        Assert.True(requests <= 3, $"{requests} Graph requests");
        var created = Assert.Single(_atlassian.State.LiveUsers);
        Assert.Equal(UserName(user), created.UserName, ignoreCase: true);
        Assert.Contains(done.LogEntries, entry => entry.SourceIdentity.Id == user);
    }

    [Fact]
    public async Task One_group_is_created_with_its_provisioned_members_for_five_Graph_requests()
    {
        await OnDemand.ProvisionAsync(CycleHarness.Job, new SourceId(_users[0]));
        await OnDemand.ProvisionAsync(CycleHarness.Job, new SourceId(_users[1]));
        _harness.Graph.Counters.Reset();

        var done = await OnDemand.ProvisionAsync(CycleHarness.Job, new SourceId(_onCall));

        var requests = _harness.Graph.Counters.Total;
        output.WriteLine($"Graph requests for one group: {requests}: {string.Join(", ", _harness.Graph.Counters.Snapshot().Keys)}");
        Assert.Equal(OnDemandResult.Succeeded, done.Result);
        Assert.True(requests <= 5, $"{requests} Graph requests");
        var group = _atlassian.State.FindGroupByName("On-call");
        Assert.NotNull(group);
        var members = group.Members.Select(id => _atlassian.State.FindUser(id)!.UserName.ToLowerInvariant()).Order(StringComparer.Ordinal);
        Assert.Equal([UserName(_users[0]), UserName(_users[1])], members);
        Assert.Equal([new SourceId(_users[2])], done.MembersNotYetProvisioned);
    }

    [Fact]
    public async Task A_user_out_of_scope_is_explained_and_nothing_reaches_the_target()
    {
        _harness.Graph.Counters.Reset();

        var done = await OnDemand.ProvisionAsync(CycleHarness.Job, new SourceId(_outsider));

        Assert.Equal(OnDemandResult.NotInScope, done.Result);
        Assert.Contains("not in the scope", done.Message, StringComparison.Ordinal);
        Assert.True(_harness.Graph.Counters.Total <= 3, $"{_harness.Graph.Counters.Total} Graph requests");
        Assert.Empty(_atlassian.State.LiveUsers);
    }
}
