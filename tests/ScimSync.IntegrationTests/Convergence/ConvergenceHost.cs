using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Cycle;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Convergence;

/// <summary>
/// The whole path (Graph emulator → cycle → Azurite queue → worker → Atlassian emulator) with both emulators' options
/// open to the test, and the check that the target ended up as the source says: every user in scope exactly once,
/// with the mapped attributes, and every assigned group with its members.
/// </summary>
internal sealed class ConvergenceHost : IAsyncDisposable
{
    private ConvergenceHost(CycleHarness harness, AtlassianScimEmulator atlassian)
    {
        Harness = harness;
        Atlassian = atlassian;
    }

    public CycleHarness Harness { get; }

    public AtlassianScimEmulator Atlassian { get; }

    public GraphTenant Tenant => Harness.Graph.Tenant;

    public static async Task<ConvergenceHost> StartAsync(
        AzuriteFixture azurite, DirectorySeed seed, GraphEmulatorOptions? graph = null, AtlassianEmulatorOptions? atlassian = null,
        IReadOnlyList<string>? verifiedDomains = null, System.Text.Json.Nodes.JsonObject? policy = null, System.Text.Json.Nodes.JsonObject? targetSettings = null)
    {
        var target = await AtlassianScimEmulator.StartAsync(atlassian);
        try
        {
            var defaults = new CycleHarnessOptions();
            var harness = await CycleHarness.StartAsync(azurite, seed, defaults with
            {
                Policy = policy ?? defaults.Policy,
                TargetSettings = targetSettings,
                TargetBaseUrl = target.BaseUrl,
                Token = target.ApiKey,
                Configure = services => services.AddReconciliation(),
                VerifiedDomains = verifiedDomains ?? ["contoso.com", "fabrikam.com"],
            }, graph);
            return new ConvergenceHost(harness, target);
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one cycle and works the queue until it is empty.</summary>
    public async Task<CycleReport> SyncAsync()
    {
        var report = await Harness.Runner.RunAsync(CycleHarness.Job);
        await Harness.Services.GetRequiredService<QueueWorker>().DrainAsync(32, stopWhenEmpty: true);
        return report;
    }

    /// <summary>Syncs until a cycle finds nothing to do (at most <paramref name="cycles"/> cycles).</summary>
    public async Task SyncUntilQuietAsync(int cycles = 4)
    {
        for (var i = 0; i < cycles; i++)
        {
            var report = await SyncAsync();
            Assert.Equal(CycleStatus.Completed, report.Status);
            if (report.Enqueued == 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Asserts that Atlassian holds exactly the enabled users in scope (assigned, or members of an assigned group),
    /// each once and active, with every mapped attribute equal to Graph's; any other record is inactive; and every
    /// assigned group exists once with exactly its provisioned members.
    /// </summary>
    /// <param name="unprovisioned">userNames of users in scope the target is expected not to hold (refused by it).</param>
    /// <param name="groupNames">Target names of groups whose Atlassian name differs from Graph's (by Graph id).</param>
    /// <param name="stale">userNames whose attributes the target is expected to keep at older values (compared only for presence).</param>
    /// <param name="checkGroups">False to check users only.</param>
    public void AssertConverged(
        IReadOnlyCollection<string>? unprovisioned = null, IReadOnlyDictionary<string, string>? groupNames = null, IReadOnlyCollection<string>? stale = null,
        bool checkGroups = true)
    {
        var snapshot = Tenant.Snapshot();
        var skipped = new HashSet<string>(unprovisioned ?? [], StringComparer.OrdinalIgnoreCase);
        var staleNames = new HashSet<string>(stale ?? [], StringComparer.OrdinalIgnoreCase);
        var expected = UsersInScope(snapshot).Where(Enabled).Where(u => !skipped.Contains(Upn(u))).ToList();
        var live = Atlassian.State.LiveUsers;

        var duplicates = live.GroupBy(u => u.UserName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"duplicate userNames in Atlassian: {string.Join(", ", duplicates)}");
        var externalDuplicates = live.Where(u => u.ExternalId is not null).GroupBy(u => u.ExternalId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(externalDuplicates.Count == 0, $"duplicate externalIds in Atlassian: {string.Join(", ", externalDuplicates)}");

        var expectedNames = new HashSet<string>(expected.Select(Upn), StringComparer.OrdinalIgnoreCase);
        var strays = live.Where(u => u.Active && !expectedNames.Contains(u.UserName)).Select(u => u.UserName).ToList();
        Assert.True(strays.Count == 0, $"active Atlassian users not in scope: {string.Join(", ", strays)}");

        var problems = new List<string>();
        foreach (var user in expected)
        {
            var target = live.SingleOrDefault(u => string.Equals(u.UserName, Upn(user), StringComparison.OrdinalIgnoreCase));
            if (target is null)
            {
                problems.Add($"{Upn(user)}: missing");
                continue;
            }

            if (!staleNames.Contains(Upn(user)))
            {
                Compare(problems, user, target);
            }
        }

        var unwanted = live.Where(u => skipped.Contains(u.UserName)).Select(u => u.UserName).ToList();
        if (unwanted.Count > 0)
        {
            problems.Add($"in Atlassian although refused: {string.Join(", ", unwanted)}");
        }

        foreach (var group in checkGroups ? AssignedGroups(snapshot) : [])
        {
            var name = groupNames?.GetValueOrDefault(group.Id) ?? group.DisplayName;
            var target = Atlassian.State.Groups.Where(g => string.Equals(g.DisplayName, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (target.Count != 1)
            {
                problems.Add($"group {group.DisplayName}: {target.Count} copies");
                continue;
            }

            var want = group.MemberIds.Select(id => snapshot.Users.SingleOrDefault(u => u.Id == id))
                .Where(u => u is not null && Enabled(u) && !skipped.Contains(Upn(u!)))
                .Select(u => live.Single(t => string.Equals(t.UserName, Upn(u!), StringComparison.OrdinalIgnoreCase)).Id)
                .Order(StringComparer.Ordinal);
            var have = target[0].Members.Order(StringComparer.Ordinal);
            if (!want.SequenceEqual(have))
            {
                problems.Add($"group {group.DisplayName}: members differ (want {want.Count()}, have {have.Count()})");
            }
        }

        Assert.True(problems.Count == 0, "Atlassian differs from Graph:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Take(20)));
    }

    /// <summary>The Atlassian path each Graph attribute maps to in the atlassian-cloud profile.</summary>
    public static readonly IReadOnlyDictionary<string, string> MappedAttributes = new Dictionary<string, string>
    {
        ["displayName"] = "displayName",
        ["givenName"] = "name.givenName",
        ["surname"] = "name.familyName",
        ["jobTitle"] = "title",
        ["department"] = "department",
    };

    public static string Upn(GraphObjectSnapshot user) => Text(user, "userPrincipalName")!;

    public static string? Text(GraphObjectSnapshot entry, string property) =>
        entry.Properties.TryGetValue(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Compare(List<string> problems, GraphObjectSnapshot user, AtlassianUser target)
    {
        if (!target.Active)
        {
            problems.Add($"{Upn(user)}: inactive");
        }

        foreach (var (source, path) in MappedAttributes)
        {
            // Like Entra, ScimSync does not provision null values (entra-provisioning-service.md "Nulls"): a value
            // cleared in Graph leaves the target's as it was, so only values Graph holds are compared.
            var want = Text(user, source);
            var have = target.Attribute(path);
            if (want is not null && !string.Equals(want, have, StringComparison.Ordinal))
            {
                problems.Add($"{Upn(user)}: {path} is '{have}', Graph's {source} is '{want}'");
            }
        }

        if (!string.Equals(target.ExternalId, user.Id, StringComparison.Ordinal))
        {
            problems.Add($"{Upn(user)}: externalId is '{target.ExternalId}'");
        }

        var email = Text(user, "mail") ?? Upn(user);
        if (!string.Equals(target.PrimaryEmail, email, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{Upn(user)}: primary email is '{target.PrimaryEmail}', want '{email}'");
        }
    }

    private static bool Enabled(GraphObjectSnapshot user) =>
        !user.Properties.TryGetValue("accountEnabled", out var enabled) || enabled.ValueKind != JsonValueKind.False;

    private static IEnumerable<GraphObjectSnapshot> AssignedGroups(GraphTenantSnapshot snapshot)
    {
        var assigned = snapshot.Assignments.Where(a => a.PrincipalType == ObjectType.Group).Select(a => a.PrincipalId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return snapshot.ActiveGroups.Where(g => assigned.Contains(g.Id));
    }

    private static IEnumerable<GraphObjectSnapshot> UsersInScope(GraphTenantSnapshot snapshot)
    {
        var ids = snapshot.Assignments.Where(a => a.PrincipalType == ObjectType.User).Select(a => a.PrincipalId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var group in AssignedGroups(snapshot))
        {
            ids.UnionWith(group.MemberIds);
        }

        return snapshot.ActiveUsers.Where(u => ids.Contains(u.Id));
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Atlassian.DisposeAsync();
    }
}
