using System.Net;
using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

/// <summary>
/// Atlassian behaviours the emulator follows from atlassian-scim-api.md, and the options it offers where the reference
/// says the answer is not documented.
/// </summary>
public sealed class AtlassianBehaviourOptionTests
{
    [Fact]
    public async Task An_update_to_an_email_an_account_without_a_SCIM_record_owns_gets_409()
    {
        // §5: an email can be tied to only one Atlassian account.
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();
        emulator.State.SeedAccount("owned@example.com");
        var user = await client.CreateUserAsync("ann@example.com");

        using var response = await client.PatchAsync($"Users/{user.Id()}",
            """[{"op":"replace","path":"emails[type eq \"work\"].value","value":"owned@example.com"}]""");

        var error = await response.AssertScimErrorAsync(409, "uniqueness");
        Assert.Equal("Resource [USER]: with email[owned@example.com] already exists.", error.Text("detail"));
    }

    [Fact]
    public async Task Users_outside_the_verified_domains_are_refused_under_the_older_rule_and_external_under_the_newer()
    {
        // §7
        await using var strict = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { VerifiedDomains = ["example.com"], ExternalUsers = ExternalUserRule.Refused });
        await using var open = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { VerifiedDomains = ["example.com"] });
        using var strictClient = strict.CreateClient();
        using var openClient = open.CreateClient();

        using var refused = await strictClient.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("guest@partner.org")));
        var external = await openClient.CreateUserAsync("guest@partner.org");

        await refused.AssertScimErrorAsync(400, "invalidValue");
        Assert.Equal("guest@partner.org", external.Text("userName"));
    }

    [Fact]
    public async Task An_external_user_whose_email_changes_is_unlinked_from_its_account_and_leaves_its_groups()
    {
        // §7: ACCESS-1396 and 1737
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { VerifiedDomains = ["example.com"] });
        using var client = emulator.CreateClient();
        var user = await client.CreateUserAsync("guest@partner.org");
        var group = await client.CreateGroupAsync("Partners");
        (await client.PatchAsync($"Groups/{group.Id()}", $$"""[{"op":"add","path":"members","value":[{"value":"{{user.Id()}}"}]}]""")).Dispose();
        var account = emulator.State.FindUser(user.Id())!.AtlassianAccountId;

        using var response = await client.PatchAsync($"Users/{user.Id()}",
            """[{"op":"replace","path":"emails[type eq \"work\"].value","value":"guest.renamed@partner.org"}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(account, emulator.State.FindUser(user.Id())!.AtlassianAccountId);
        Assert.Empty(emulator.State.FindGroup(group.Id())!.Members);
    }

    [Fact]
    public async Task A_group_named_like_a_built_in_group_is_created_but_not_synced_to_the_sites()
    {
        // §8
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();

        var builtIn = await client.CreateGroupAsync("Confluence-Users");
        var own = await client.CreateGroupAsync("Engineering");

        Assert.False(emulator.State.FindGroup(builtIn.Id())!.SyncedToSites);
        Assert.True(emulator.State.FindGroup(own.Id())!.SyncedToSites);
    }

    [Fact]
    public async Task A_429_carries_the_X_RateLimit_headers_by_default()
    {
        // §11: the headers Atlassian's organization APIs document.
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();
        emulator.Faults.ThrottleNext(1, TimeSpan.FromSeconds(5));

        using var response = await client.GetAsync("Users");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.True(DateTimeOffset.TryParse(response.Headers.GetValues("X-RateLimit-Reset").Single(), out _));
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Theory]
    [InlineData(DirectoryFullBehaviour.AcceptedNotSynced, HttpStatusCode.Created)]
    [InlineData(DirectoryFullBehaviour.Refused, HttpStatusCode.BadRequest)]
    public async Task A_user_past_the_directory_limit_is_created_unsynced_or_refused(DirectoryFullBehaviour behaviour, HttpStatusCode expected)
    {
        // §12: "we stop syncing new users after 150,000"; the API's answer is not documented.
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { MaxUsers = 2, DirectoryFull = behaviour });
        using var client = emulator.CreateClient();
        await client.CreateUserAsync("a@example.com");
        await client.CreateUserAsync("b@example.com");

        using var third = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("c@example.com")));

        Assert.Equal(expected, third.StatusCode);
        Assert.Equal(2, emulator.State.LiveUsers.Count(u => u.SyncedToOrganization));
    }

    [Theory]
    [InlineData(GroupRenameBehaviour.Refused, "Sales", HttpStatusCode.BadRequest)]
    [InlineData(GroupRenameBehaviour.Ignored, "Sales", HttpStatusCode.OK)]
    [InlineData(GroupRenameBehaviour.Applied, "Sales EMEA", HttpStatusCode.OK)]
    public async Task A_group_rename_is_refused_ignored_or_applied_as_chosen(GroupRenameBehaviour behaviour, string name, HttpStatusCode status)
    {
        // §8: renames are "not supported"; the answer is not documented.
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { GroupRename = behaviour });
        using var client = emulator.CreateClient();
        var group = await client.CreateGroupAsync("Sales");

        using var response = await client.PatchAsync($"Groups/{group.Id()}", """[{"op":"replace","path":"displayName","value":"Sales EMEA"}]""");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(name, emulator.State.FindGroup(group.Id())!.DisplayName);
    }

    [Fact]
    public async Task A_case_only_rename_follows_its_own_option()
    {
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { CaseOnlyGroupRename = GroupRenameBehaviour.Applied });
        using var client = emulator.CreateClient();
        var group = await client.CreateGroupAsync("Sales");

        using var caseOnly = await client.PatchAsync($"Groups/{group.Id()}", """[{"op":"replace","path":"displayName","value":"SALES"}]""");
        using var rename = await client.PatchAsync($"Groups/{group.Id()}", """[{"op":"replace","path":"displayName","value":"Sales EMEA"}]""");

        Assert.Equal(HttpStatusCode.OK, caseOnly.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, rename.StatusCode);
        Assert.Equal("SALES", emulator.State.FindGroup(group.Id())!.DisplayName);
    }

    [Theory]
    [InlineData(UserNameCaseRule.CaseInsensitive, "Ann@Example.com", HttpStatusCode.Conflict)]
    [InlineData(UserNameCaseRule.Lowercased, "ann@example.com", HttpStatusCode.Conflict)]
    [InlineData(UserNameCaseRule.CaseSensitive, "Ann@Example.com", HttpStatusCode.Created)]
    public async Task UserNames_are_stored_and_compared_by_the_chosen_case_rule(UserNameCaseRule rule, string stored, HttpStatusCode second)
    {
        // §4: Atlassian "will verify the value and guarantee its uniqueness"; case is not documented.
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { UserNameCase = rule });
        using var client = emulator.CreateClient();
        var first = await client.CreateUserAsync("Ann@Example.com", "ann1@example.com");

        using var other = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com", "ann2@example.com")));

        Assert.Equal(stored, first.Text("userName"));
        Assert.Equal(second, other.StatusCode);
    }

    [Theory]
    [InlineData(EnterpriseExtensionMode.Stored, HttpStatusCode.OK, "R&D")]
    [InlineData(EnterpriseExtensionMode.ReadOnlyIgnored, HttpStatusCode.OK, null)]
    [InlineData(EnterpriseExtensionMode.ReadOnlyRefused, HttpStatusCode.BadRequest, null)]
    public async Task The_enterprise_department_is_stored_ignored_or_refused_as_chosen(EnterpriseExtensionMode mode, HttpStatusCode status, string? stored)
    {
        // §4: the enterprise extension is marked read-only; what the API does with a write is not documented.
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { EnterpriseExtension = mode });
        using var client = emulator.CreateClient();
        var user = await client.CreateUserAsync("ann@example.com");

        using var response = await client.PatchAsync($"Users/{user.Id()}",
            $$"""[{"op":"replace","path":"{{ScimHttp.EnterpriseSchema}}:department","value":"R&D"}]""");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(stored, emulator.State.FindUser(user.Id())!.Attribute(ScimHttp.EnterpriseSchema + ":department"));
    }
}
