using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Convergence;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Reconciliation;

/// <summary>
/// An initial sync matches its users and groups from one listing of the target instead of a lookup each: what the
/// listing proves absent is created without a lookup, what it holds is looked up and adopted as before, and a target
/// whose listing cannot be trusted is looked up object by object.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MatchListingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_initial_sync_sends_one_POST_per_user_after_a_listing_of_about_one_request_per_100_users_and_no_lookup()
    {
        const int users = 250;
        var (seed, _) = Tenant(users);
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);

        // Users of the organization no job provisions, inactive so the check below does not count them as strays.
        SeedForeignUsers(host, 250);
        host.Atlassian.Counters.Reset();

        var report = await host.SyncAsync();

        Assert.Equal(ScimSync.Core.Cycle.CycleStatus.Completed, report.Status);
        var lists = host.Atlassian.Lists;
        Assert.Equal(0, lists.UserLookups);
        Assert.Equal(0, lists.GroupLookups);
        Assert.Equal(3, lists.UserPages);
        Assert.Equal(1, lists.GroupPages);
        Assert.Equal(users, host.Atlassian.Counters.Count("POST /Users"));
        var perUser = (double)(lists.UserPages + lists.UserLookups + host.Atlassian.Counters.Count("POST /Users")) / users;
        Assert.True(perUser <= 1.05, $"{perUser:0.000} SCIM requests per created user");
        Assert.Equal(users, host.Atlassian.State.LiveUsers.Count(user => user.Active));
        host.AssertConverged();
    }

    [Fact]
    public async Task A_user_the_target_already_holds_is_looked_up_and_adopted_while_the_others_are_created_without_a_lookup()
    {
        var (seed, ids) = Tenant(20);
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        var upn = Upn(host, ids[7]);
        var existing = host.Atlassian.State.SeedUser(new AtlassianSeedUser { UserName = upn.ToUpperInvariant(), DisplayName = "Old Name", GivenName = "Old", FamilyName = "Name" });
        host.Atlassian.Counters.Reset();

        await host.SyncAsync();

        Assert.Equal(1, host.Atlassian.Lists.UserLookups);
        Assert.Equal(19, host.Atlassian.Counters.Count("POST /Users"));
        var state = await host.Harness.Objects.GetAsync(CycleHarness.Job, ObjectKind.User, new SourceId(ids[7]));
        Assert.Equal(existing.Id, state!.Value.TargetId?.Value);
        Assert.Equal("userName", state.Value.MatchedBy);
        host.AssertConverged();
    }

    // A lookup that finds its user reads a second page when the target over-reports totalResults: 21 requests for 20 users.
    [Theory]
    [InlineData(true, 0, 20)]
    [InlineData(false, 5, 21)]
    public async Task A_target_whose_listing_cannot_be_trusted_is_looked_up_user_by_user_and_converges_without_duplicates(
        bool ignoresStartIndex, int totalResultsSkew, int lookups)
    {
        var (seed, ids) = Tenant(20);
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);

        // More than one page, or a target that ignores startIndex answers every page alike and the listing could not tell.
        SeedForeignUsers(host, 150);
        var existing = host.Atlassian.State.SeedUser(new AtlassianSeedUser { UserName = Upn(host, ids[3]), DisplayName = "Old Name" });
        host.Atlassian.TargetFaults.IgnoresStartIndex = ignoresStartIndex;
        host.Atlassian.TargetFaults.TotalResultsSkew = totalResultsSkew;
        host.Atlassian.Counters.Reset();

        await host.SyncAsync();

        Assert.Equal(lookups, host.Atlassian.Lists.UserLookups);
        Assert.Equal(19, host.Atlassian.Counters.Count("POST /Users"));
        Assert.Equal(existing.Id, host.Atlassian.State.FindUserByUserName(Upn(host, ids[3]))!.Id);
        host.AssertConverged();
    }

    [Fact]
    public async Task A_user_created_in_the_target_after_the_listing_meets_a_conflict_and_is_adopted_not_duplicated()
    {
        var (seed, ids) = Tenant(20);
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        host.Atlassian.Counters.Reset();

        var report = await host.Harness.Runner.RunAsync(CycleHarness.Job);
        var raced = host.Atlassian.State.SeedUser(new AtlassianSeedUser { UserName = Upn(host, ids[5]), DisplayName = "Created Meanwhile" });
        await host.Harness.Services.GetRequiredService<QueueWorker>().DrainAsync(8, stopWhenEmpty: true);

        // One listing, twenty creates of which one is refused with 409, and the one lookup that adopts what it met.
        Assert.Equal(1, host.Atlassian.Lists.UserPages);
        Assert.Equal(20, host.Atlassian.Counters.Count("POST /Users"));
        Assert.Equal(1, host.Atlassian.Lists.UserLookups);
        var state = await host.Harness.Objects.GetAsync(CycleHarness.Job, ObjectKind.User, new SourceId(ids[5]));
        Assert.Equal(raced.Id, state!.Value.TargetId?.Value);
        var log = await host.Harness.Services.GetRequiredService<ProvisioningLogStore>().QueryAsync(
            new ProvisioningLogQuery(CycleHarness.Job) { CycleId = report.CycleId, SourceId = ids[5], From = DateTimeOffset.UtcNow.AddDays(-1) }, null, 10);
        var entry = Assert.Single(log.Entries);
        Assert.Equal(ProvisioningStatus.Success, entry.Status);
        Assert.Contains(entry.Steps, step => step.Name == "EntryConflictResolved");
        host.AssertConverged();
    }

    /// <summary><paramref name="count"/> users of contoso.com assigned directly, and two assigned groups of them.</summary>
    private static (DirectorySeed Seed, IReadOnlyList<string> Users) Tenant(int count)
    {
        var builder = new DirectorySeedBuilder();
        var users = builder.AddUsers(count);
        foreach (var user in users)
        {
            builder.Assign(user, ObjectType.User);
        }

        builder.Assign(builder.AddGroup("Sales", users.Take(count / 2)), ObjectType.Group);
        builder.Assign(builder.AddGroup("Support", users.Skip(count / 2)), ObjectType.Group);
        return (builder.Build(), users);
    }

    private static void SeedForeignUsers(ConvergenceHost host, int count)
    {
        for (var i = 0; i < count; i++)
        {
            host.Atlassian.State.SeedUser(new AtlassianSeedUser { UserName = $"foreign{i:D4}@contoso.com", Active = false });
        }
    }

    private static string Upn(ConvergenceHost host, string id) =>
        ConvergenceHost.Upn(host.Tenant.Snapshot().Users.Single(u => u.Id == id));
}
