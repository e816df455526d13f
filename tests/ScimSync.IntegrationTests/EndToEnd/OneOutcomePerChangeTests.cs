using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.EndToEnd;

/// <summary>
/// Each change ends in one provisioning log entry for its final outcome: a member the target will never take does not
/// make its group retry, and retried attempts are steps of the entry that ends them. The target is read to prove it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OneOutcomePerChangeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int MaxAttempts = 3;

    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Fact]
    public async Task A_group_with_a_member_the_target_refuses_and_a_disabled_one_completes_in_one_attempt_with_one_warning_and_gets_the_member_once_it_is_provisioned()
    {
        var seed = new DirectorySeedBuilder();
        var alice = seed.AddUser("alice@contoso.com", "Alice");
        var bob = seed.AddUser("bob@contoso.com", "Bob");
        var carol = seed.AddUser("carol@elsewhere.org", "Carol");
        var dave = seed.AddUser("dave@contoso.com", "Dave", new Dictionary<string, object?> { ["accountEnabled"] = false });
        var engineering = seed.AddGroup("Engineering", [alice, bob, carol, dave]);
        seed.Assign(engineering, ObjectType.Group);
        await using var harness = await StartAsync(seed.Build());

        await SyncAsync(harness);

        // In the initial cycle the group's members may wait for the users' own items; whatever happened, one entry ends it.
        Assert.Equal(["alice@contoso.com", "bob@contoso.com"], MembersOf("Engineering"));
        var initial = await LogsOfAsync(harness, engineering);
        var first = Assert.Single(initial, entry => entry.Steps.Any(step => step.Name == "MemberNotProvisioned"));
        Assert.Equal(ProvisioningStatus.Warning, first.Status);
        Assert.DoesNotContain(initial, entry => entry.Status == ProvisioningStatus.Failure);

        // Once Carol is known to be refused, a membership change completes in one attempt with one warning naming her.
        harness.Graph.Tenant.RemoveMember(engineering, bob);
        await SyncAsync(harness);

        Assert.Equal(["alice@contoso.com"], MembersOf("Engineering"));
        var change = Assert.Single((await LogsOfAsync(harness, engineering)).Where(entry => initial.All(earlier => earlier.Id != entry.Id)), entry => entry.Steps.Any(step => step.Name == "MemberNotProvisioned"));
        Assert.Equal(ProvisioningStatus.Warning, change.Status);
        Assert.Contains("carol@elsewhere.org (InvalidDomain:", change.Steps.Single(step => step.Name == "MemberNotProvisioned").Description, StringComparison.Ordinal);
        Assert.DoesNotContain(change.Steps, step => step.Description.StartsWith("Attempt ", StringComparison.Ordinal));
        Assert.DoesNotContain("dave@contoso.com", change.Steps.Single(step => step.Name == "MemberNotProvisioned").Description, StringComparison.Ordinal);
        Assert.Empty(await harness.Objects.ListUnsettledAsync(CycleHarness.Job, ObjectKind.Group).ToListAsync());

        // Still waited for after a later cycle: status lists her and needs an admin.
        var waiting = await harness.Status.GetStatusAsync(CycleHarness.Job);
        var listed = Assert.Single(waiting.Attention.NotProvisionedMembers);
        Assert.Equal("carol@elsewhere.org", listed.DisplayName);
        Assert.Equal("InvalidDomain", listed.What);
        Assert.Contains("1 group(s) completed without it", listed.Reason, StringComparison.Ordinal);
        Assert.True(waiting.NeedsAdmin);

        // Carol's domain is fixed in Entra ID: she is created, and the group that completed without her gets her.
        harness.Graph.Tenant.UpdateUser(carol, "userPrincipalName", "carol@contoso.com");
        await SyncAsync(harness);
        await SyncAsync(harness);

        Assert.Equal(["alice@contoso.com", "carol@contoso.com"], MembersOf("Engineering"));
        Assert.Empty(await harness.Objects.ListUnsettledAsync(CycleHarness.Job, ObjectKind.Group).ToListAsync());
        var settled = await harness.Status.GetStatusAsync(CycleHarness.Job);
        Assert.Empty(settled.Attention.NotProvisionedMembers);
        Assert.False(settled.NeedsAdmin);
    }

    [Fact]
    public async Task A_create_that_failed_twice_and_then_succeeded_has_one_log_entry_with_its_failed_attempts_as_steps()
    {
        var seed = new DirectorySeedBuilder();
        var dana = seed.AddUser("dana@contoso.com", "Dana");
        seed.Assign(dana, ObjectType.User);
        await using var harness = await StartAsync(seed.Build());
        // A create is never repeated within an attempt (its outcome would be unknown): two failures are two attempts.
        _atlassian.Faults.FailNext(2, 500, new FaultScope("POST", "/Users"));

        await SyncAsync(harness);

        Assert.NotNull(_atlassian.State.FindUserByUserName("dana@contoso.com"));
        var entry = Assert.Single(await LogsOfAsync(harness, dana));
        Assert.Equal(ProvisioningStatus.Success, entry.Status);
        Assert.Equal(ProvisioningAction.Create, entry.Action);
        var attempts = entry.Steps.Where(step => step.Description.StartsWith("Attempt ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, step => Assert.Equal(ProvisioningStatus.Failure, step.Status));
        Assert.StartsWith("Attempt 1 ", attempts[0].Description, StringComparison.Ordinal);
        Assert.StartsWith("Attempt 2 ", attempts[1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_item_that_used_up_its_attempts_has_one_failure_entry_listing_each_attempt()
    {
        var seed = new DirectorySeedBuilder();
        var erin = seed.AddUser("erin@contoso.com", "Erin");
        seed.Assign(erin, ObjectType.User);
        await using var harness = await StartAsync(seed.Build());
        _atlassian.Faults.FailNext(1_000, 500, new FaultScope("POST", "/Users"));

        await SyncAsync(harness);

        Assert.Null(_atlassian.State.FindUserByUserName("erin@contoso.com"));
        var entry = Assert.Single(await LogsOfAsync(harness, erin));
        Assert.Equal(ProvisioningStatus.Failure, entry.Status);
        Assert.Equal(MaxAttempts - 1, entry.Steps.Count(step => step.Description.StartsWith("Attempt ", StringComparison.Ordinal)));
        var pending = (await harness.Objects.GetAsync(CycleHarness.Job, ObjectKind.User, new SourceId(erin)))!.Value.Pending;
        Assert.True(pending?.Poisoned);
    }

    private Task<CycleHarness> StartAsync(DirectorySeed seed) =>
        CycleHarness.StartAsync(azurite, seed, new CycleHarnessOptions
        {
            TargetBaseUrl = _atlassian.BaseUrl,
            Token = _atlassian.ApiKey,
            Policy = new JsonObject { ["interval"] = "00:01:00", ["quarantineInterval"] = "00:30:00" },
            Settings = new Dictionary<string, string?>
            {
                ["ScimSync:Worker:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ScimSync:Worker:BaseRetryDelay"] = "00:00:00.200",
                ["ScimSync:Worker:MaxRetryDelay"] = "00:00:01",
                ["ScimSync:Worker:MaxWaitForRetries"] = "00:00:10",
                ["ScimSync:Worker:InFlightGrace"] = "00:00:00",
                ["ScimSync:Worker:PoisonRetryDelay"] = "00:10:00",
                ["ScimSync:Worker:VisibilityTimeout"] = "00:00:10",
            },
            Configure = services => services.AddReconciliation(),
        });

    private static async Task SyncAsync(CycleHarness harness)
    {
        await harness.Runner.RunAsync(CycleHarness.Job);
        await harness.Services.GetRequiredService<QueueWorker>().DrainAsync(4, stopWhenEmpty: true);
    }

    private static async Task<List<ProvisioningLogEntry>> LogsOfAsync(CycleHarness harness, string sourceId)
    {
        var page = await harness.Services.GetRequiredService<ProvisioningLogStore>().QueryAsync(
            new ProvisioningLogQuery(CycleHarness.Job) { SourceId = sourceId, From = DateTimeOffset.UtcNow.AddDays(-1) }, null, 1000);
        return [.. page.Entries];
    }

    private List<string> MembersOf(string group) =>
        (_atlassian.State.FindGroupByName(group) ?? throw new Xunit.Sdk.XunitException($"Group '{group}' is not in Atlassian."))
        .Members.Select(id => _atlassian.State.FindUser(id)!.UserName.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
}
