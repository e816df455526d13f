using ScimSync.Core.Cycle;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Convergence;

/// <summary>
/// The engine against each Atlassian behaviour of atlassian-scim-api.md that a client could trip on, one at a time, and
/// against every option the emulator offers where Atlassian does not document the answer: the target ends up holding
/// each user in scope once, with Graph's attributes, and nothing twice.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AtlassianBehaviourConvergenceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_update_to_an_email_another_Atlassian_account_owns_is_refused_and_nothing_is_duplicated()
    {
        var (seed, users, _) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        await host.SyncUntilQuietAsync();
        host.Atlassian.State.SeedAccount("taken@contoso.com");
        var upn = Upn(host, users[0]);
        var before = host.Atlassian.State.FindUserByUserName(upn)!;

        host.Tenant.UpdateUser(users[0], "mail", "taken@contoso.com");
        host.Tenant.UpdateUser(users[1], "displayName", "Still Synced");
        await SyncCyclesAsync(host, 2);

        var after = host.Atlassian.State.FindUserByUserName(upn)!;
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.PrimaryEmail, after.PrimaryEmail);
        Assert.Equal(before.AtlassianAccountId, after.AtlassianAccountId);
        host.AssertConverged(stale: [upn]);
    }

    [Fact]
    public async Task External_users_are_synced_and_one_whose_email_changes_is_unlinked_and_keeps_one_record_with_the_new_email()
    {
        var (seed, _, external) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed,
            atlassian: new AtlassianEmulatorOptions { VerifiedDomains = ["contoso.com"], ExternalUsers = ExternalUserRule.Allowed },
            verifiedDomains: ["contoso.com", "fabrikam.com"]);
        await host.SyncUntilQuietAsync();
        host.AssertConverged();
        var account = host.Atlassian.State.FindUserByUserName(Upn(host, external[0]))!.AtlassianAccountId;

        host.Tenant.UpdateUser(external[0], "mail", "renamed.contractor@fabrikam.com");
        await SyncCyclesAsync(host, 2);

        var unlinked = host.Atlassian.State.FindUserByUserName(Upn(host, external[0]))!;
        Assert.NotEqual(account, unlinked.AtlassianAccountId);
        Assert.Equal("renamed.contractor@fabrikam.com", unlinked.PrimaryEmail);

        // Atlassian takes the unlinked user out of its groups without telling the client; nothing in a cycle reads
        // that back yet, so the groups are left out of this check.
        host.AssertConverged(checkGroups: false);
    }

    [Fact]
    public async Task Under_the_older_verified_domain_rule_external_users_are_refused_and_everyone_else_converges()
    {
        var (seed, _, external) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed,
            atlassian: new AtlassianEmulatorOptions { VerifiedDomains = ["contoso.com"], ExternalUsers = ExternalUserRule.Refused },
            verifiedDomains: ["contoso.com", "fabrikam.com"]);

        await SyncCyclesAsync(host, 2);

        host.AssertConverged(unprovisioned: [.. external.Select(id => Upn(host, id))]);
    }

    [Fact]
    public async Task A_group_named_like_a_built_in_group_is_created_once_with_its_members_though_Atlassian_does_not_sync_it()
    {
        var builder = new DirectorySeedBuilder();
        var members = builder.AddUsers(6);
        var group = builder.AddGroup("confluence-users", members);
        builder.Assign(group, ObjectType.Group);
        await using var host = await ConvergenceHost.StartAsync(azurite, builder.Build());

        await host.SyncUntilQuietAsync();

        host.AssertConverged();
        Assert.False(host.Atlassian.State.FindGroupByName("confluence-users")!.SyncedToSites);
    }

    [Fact]
    public async Task Throttling_with_the_X_RateLimit_headers_Atlassian_documents_is_waited_out_and_the_engine_converges()
    {
        var (seed, users, _) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed);
        host.Atlassian.Faults.ThrottleNext(3, TimeSpan.FromSeconds(1));
        await host.SyncUntilQuietAsync();

        host.Tenant.UpdateUser(users[2], "jobTitle", "Throttled Title");
        host.Atlassian.Faults.ThrottleNext(2, TimeSpan.FromSeconds(1), FaultScope.Parse("PATCH /Users/{id}"));
        await host.SyncUntilQuietAsync();

        Assert.Equal(5, host.Atlassian.Counters.Count(RequestOutcome.Throttled));
        host.AssertConverged();
    }

    [Theory]
    [InlineData(DirectoryFullBehaviour.AcceptedNotSynced)]
    [InlineData(DirectoryFullBehaviour.Refused)]
    public async Task Past_the_directory_user_limit_the_engine_creates_no_duplicates_under_either_answer(DirectoryFullBehaviour behaviour)
    {
        var (seed, users, _) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed,
            atlassian: new AtlassianEmulatorOptions { MaxUsers = 10, DirectoryFull = behaviour });

        await SyncCyclesAsync(host, 3);

        if (behaviour == DirectoryFullBehaviour.AcceptedNotSynced)
        {
            host.AssertConverged();
            Assert.Equal(10, host.Atlassian.State.LiveUsers.Count(u => u.SyncedToOrganization));
        }
        else
        {
            var live = host.Atlassian.State.LiveUsers;
            Assert.Equal(10, live.Count);
            var refused = host.Tenant.Snapshot().ActiveUsers.Select(ConvergenceHost.Upn)
                .Where(upn => !live.Any(u => string.Equals(u.UserName, upn, StringComparison.OrdinalIgnoreCase))).ToList();
            Assert.Equal(users.Count + 3 - 10, refused.Count);
            host.AssertConverged(unprovisioned: refused);
        }
    }

    [Theory]
    [InlineData(EnterpriseExtensionMode.Stored)]
    [InlineData(EnterpriseExtensionMode.ReadOnlyIgnored)]
    [InlineData(EnterpriseExtensionMode.ReadOnlyRefused)]
    public async Task The_default_mappings_converge_whatever_the_enterprise_extension_takes(EnterpriseExtensionMode mode)
    {
        var (seed, users, _) = Tenant();
        await using var host = await ConvergenceHost.StartAsync(azurite, seed, atlassian: new AtlassianEmulatorOptions { EnterpriseExtension = mode });
        await host.SyncUntilQuietAsync();
        host.Tenant.UpdateUser(users[3], "department", "Moved");

        await host.SyncUntilQuietAsync();

        host.AssertConverged();
    }

    [Theory]
    [InlineData(GroupRenameBehaviour.Refused, GroupRenameBehaviour.Refused)]
    [InlineData(GroupRenameBehaviour.Ignored, GroupRenameBehaviour.Ignored)]
    [InlineData(GroupRenameBehaviour.Applied, GroupRenameBehaviour.Applied)]
    [InlineData(GroupRenameBehaviour.Refused, GroupRenameBehaviour.Applied)]
    public async Task A_renamed_group_keeps_one_copy_under_its_first_name_and_still_gets_its_members(
        GroupRenameBehaviour rename, GroupRenameBehaviour caseOnly)
    {
        var builder = new DirectorySeedBuilder();
        var members = builder.AddUsers(6);
        var sales = builder.AddGroup("Sales", members.Take(3));
        var support = builder.AddGroup("Support", members.Skip(3));
        builder.Assign(sales, ObjectType.Group).Assign(support, ObjectType.Group);
        await using var host = await ConvergenceHost.StartAsync(azurite, builder.Build(),
            atlassian: new AtlassianEmulatorOptions { GroupRename = rename, CaseOnlyGroupRename = caseOnly });
        await host.SyncUntilQuietAsync();

        host.Tenant.RenameGroup(sales, "Sales EMEA");
        host.Tenant.RenameGroup(support, "SUPPORT");
        host.Tenant.AddMember(sales, members[4]);
        host.Tenant.RemoveMember(support, members[5]);
        await SyncCyclesAsync(host, 2);

        Assert.Equal(2, host.Atlassian.State.Groups.Count);
        host.AssertConverged(groupNames: new Dictionary<string, string> { [sales] = "Sales", [support] = "Support" });
    }

    [Theory]
    [InlineData(UserNameCaseRule.CaseInsensitive)]
    [InlineData(UserNameCaseRule.Lowercased)]
    [InlineData(UserNameCaseRule.CaseSensitive)]
    public async Task Mixed_case_userNames_and_a_case_only_change_leave_one_record_per_user_under_every_case_rule(UserNameCaseRule rule)
    {
        var builder = new DirectorySeedBuilder();
        var ann = builder.AddUser("Ann.Lee@contoso.com", "Ann Lee", new Dictionary<string, object?> { ["mail"] = "Ann.Lee@contoso.com", ["accountEnabled"] = true });
        var bob = builder.AddUser("bob.stone@contoso.com", "Bob Stone", new Dictionary<string, object?> { ["mail"] = "bob.stone@contoso.com", ["accountEnabled"] = true });
        builder.Assign(ann, ObjectType.User).Assign(bob, ObjectType.User);
        await using var host = await ConvergenceHost.StartAsync(azurite, builder.Build(), atlassian: new AtlassianEmulatorOptions { UserNameCase = rule });
        await SyncCyclesAsync(host, 2);
        host.AssertConverged();

        host.Tenant.UpdateUser(bob, "userPrincipalName", "Bob.Stone@contoso.com");
        host.Tenant.UpdateUser(ann, "displayName", "Ann Lee-Park");
        await SyncCyclesAsync(host, 2);

        Assert.Equal(2, host.Atlassian.State.LiveUsers.Count);
        host.AssertConverged();
    }

    private static async Task SyncCyclesAsync(ConvergenceHost host, int cycles)
    {
        for (var i = 0; i < cycles; i++)
        {
            Assert.Equal(CycleStatus.Completed, (await host.SyncAsync()).Status);
        }
    }

    private static string Upn(ConvergenceHost host, string id) =>
        ConvergenceHost.Upn(host.Tenant.Snapshot().Users.Single(u => u.Id == id));

    /// <summary>16 users of contoso.com assigned directly, and a Sales group assigned with 4 of them and 3 fabrikam.com contractors.</summary>
    private static (DirectorySeed Seed, IReadOnlyList<string> Users, IReadOnlyList<string> External) Tenant()
    {
        var builder = new DirectorySeedBuilder();
        var users = builder.AddUsers(16);
        var external = Enumerable.Range(1, 3).Select(i => builder.AddUser($"contractor{i}@fabrikam.com", $"Contractor {i}",
            new Dictionary<string, object?> { ["mail"] = $"contractor{i}@fabrikam.com", ["accountEnabled"] = true, ["givenName"] = "Contractor" })).ToList();
        var sales = builder.AddGroup("Sales", users.Take(4).Concat(external));
        foreach (var user in users)
        {
            builder.Assign(user, ObjectType.User);
        }

        builder.Assign(sales, ObjectType.Group);
        return (builder.Build(), users, external);
    }
}
