using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using GroupsDelta = Microsoft.Graph.Groups.Delta;
using UsersDelta = Microsoft.Graph.Users.Delta;

namespace ScimSync.IntegrationTests.Emulators.Graph;

/// <summary>users/delta and groups/delta read with the real Graph SDK (graph-delta.md §1, §2 and §6).</summary>
public sealed class GraphDeltaTests
{
    [Fact]
    public async Task The_SDK_page_iterator_reads_every_demo_user_through_users_delta()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Seed = DirectorySeedFile.Load(DemoDirectory.Path),
            UserPageSize = 37,
        });
        using var client = GraphSdk.Client(emulator);

        var round = await ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync());

        var expected = emulator.Snapshot().ActiveUsers.Select(user => user.Id).Order();
        Assert.Equal(expected, round.Items.Select(user => user.Id!).Order());
        Assert.Equal(410, round.Items.Count);
        // §6: links are absolute and point at the emulator, so the SDK can follow them verbatim.
        Assert.StartsWith(emulator.BaseUrl + "/users/delta?$deltatoken=", round.DeltaLink, StringComparison.Ordinal);
        Assert.Equal((410 + 36) / 37, emulator.DeltaRequests(ObjectType.User));
    }

    [Fact]
    public async Task Without_select_users_carry_Graphs_default_properties_only()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);

        var round = await ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync());

        var adele = round.Items.Single(user => user.UserPrincipalName == "adele.vance@contoso.com");
        Assert.Equal("Adele Vance", adele.DisplayName);
        Assert.Equal("Engineering Manager", adele.JobTitle);
        Assert.Null(adele.Department);
        Assert.Null(adele.AccountEnabled);
    }

    [Fact]
    public async Task Select_limits_the_properties_returned_and_the_changes_tracked()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);
        var initial = await ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["displayName", "accountEnabled"]));
        var adele = initial.Items.Single(user => user.DisplayName == "Adele Vance");
        Assert.True(adele.AccountEnabled);
        Assert.Null(adele.UserPrincipalName);
        Assert.Null(adele.JobTitle);

        // §1: only selected properties are tracked; a change to jobTitle alone does not surface the user.
        emulator.Tenant.UpdateUser(adele.Id!, "jobTitle", "Director of Engineering");
        emulator.Tenant.DisableUser(initial.Items.Single(user => user.DisplayName == "Alex Wilber").Id!);
        var next = await ReadUsersAsync(client, await new UsersDelta.DeltaRequestBuilder(initial.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());

        var changed = Assert.Single(next.Items);
        Assert.Equal("Alex Wilber", changed.DisplayName);
        Assert.False(changed.AccountEnabled);
    }

    [Fact]
    public async Task An_incremental_round_returns_exactly_the_changes_made_since_the_delta_link()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Seed = DirectorySeedFile.Load(DemoDirectory.Path),
            UserPageSize = 50,
        });
        using var client = GraphSdk.Client(emulator);
        var initial = await ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["displayName", "department", "accountEnabled", "userPrincipalName"]));
        var ids = initial.Items.ToDictionary(user => user.UserPrincipalName!, user => user.Id!);
        var tenant = emulator.Tenant;

        var added = tenant.AddUser("new.hire@contoso.com", "New Hire");
        tenant.UpdateUser(ids["adele.vance@contoso.com"], "department", "Platform");
        tenant.DisableUser(ids["alex.wilber@contoso.com"]);
        tenant.SoftDeleteUser(ids["bianca.pia@contoso.com"]);
        tenant.HardDeleteUser(ids["brian.johnson@contoso.com"]);
        tenant.UpdateUser(ids["tech001@contoso.com"], "department", "Field Operations");

        var next = await ReadUsersAsync(client, await new UsersDelta.DeltaRequestBuilder(initial.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());

        var byId = next.Items.ToDictionary(user => user.Id!);
        Assert.Equal(5, byId.Count);
        Assert.Equal("New Hire", byId[added].DisplayName);
        Assert.Equal("Platform", byId[ids["adele.vance@contoso.com"]].Department);
        Assert.False(byId[ids["alex.wilber@contoso.com"]].AccountEnabled);
        // §2: soft delete is @removed "changed", permanent deletion is @removed "deleted".
        Assert.Equal("changed", GraphSdk.RemovedReason(byId[ids["bianca.pia@contoso.com"]].AdditionalData));
        Assert.Equal("deleted", GraphSdk.RemovedReason(byId[ids["brian.johnson@contoso.com"]].AdditionalData));
        Assert.Null(GraphSdk.RemovedReason(byId[added].AdditionalData));

        // A restored user comes back in its full representation without an annotation; nothing else changed.
        tenant.RestoreUser(ids["bianca.pia@contoso.com"]);
        var third = await ReadUsersAsync(client, await new UsersDelta.DeltaRequestBuilder(next.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());
        var restored = Assert.Single(third.Items);
        Assert.Equal("Bianca Pia", restored.DisplayName);
        Assert.Null(GraphSdk.RemovedReason(restored.AdditionalData));

        // §2: a round with no changes is an empty page with a new deltaLink.
        var quiet = await new UsersDelta.DeltaRequestBuilder(third.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync();
        Assert.Empty(quiet!.Value!);
        Assert.Null(quiet.OdataNextLink);
        Assert.NotNull(quiet.OdataDeltaLink);
    }

    [Fact]
    public async Task A_large_groups_members_arrive_in_slices_that_reassemble_to_the_full_list()
    {
        var builder = new DirectorySeedBuilder();
        var users = builder.AddUsers(1_200);
        var big = builder.AddGroup("Everyone", users);
        var small = builder.AddGroup("Few", users.Take(3));
        builder.AddGroup("Empty");
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = builder.Build(), MembersPerPage = 100 });
        using var client = GraphSdk.Client(emulator);

        var round = await ReadGroupsAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["displayName", "members"]));

        // §2: the same group object repeats across pages, each with another slice of members@delta.
        var everyone = round.Items.Where(group => group.Id == big).ToList();
        Assert.True(everyone.Count >= 12, $"expected the group on at least 12 pages, saw it {everyone.Count} times");
        Assert.All(everyone, group => Assert.Equal("Everyone", group.DisplayName));
        var members = everyone.SelectMany(group => GraphSdk.LinkDelta(group.AdditionalData)).ToList();
        Assert.All(members, member => Assert.False(member.Removed));
        Assert.All(members, member => Assert.Equal("#microsoft.graph.user", member.Type));
        Assert.Equal(users.Order(), members.Select(member => member.Id).Order());
        Assert.Equal(users.Take(3).Order(), round.Items.Where(g => g.Id == small).SelectMany(g => GraphSdk.LinkDelta(g.AdditionalData)).Select(m => m.Id).Order());
        // A group with no members has no members@delta property.
        Assert.False(round.Items.Single(g => g.DisplayName == "Empty").AdditionalData.ContainsKey("members@delta"));
    }

    [Fact]
    public async Task Membership_changes_surface_the_group_with_added_and_removed_members()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);
        var initial = await ReadGroupsAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["displayName", "members"]));
        var snapshot = emulator.Snapshot();
        var engineering = snapshot.Groups.Single(group => group.DisplayName == "Engineering");
        var finance = snapshot.Groups.Single(group => group.DisplayName == "Finance");
        var leaving = engineering.MemberIds[0];
        var joining = snapshot.ActiveUsers.First(user => !engineering.MemberIds.Contains(user.Id)).Id;

        emulator.Tenant.RemoveMember(engineering.Id, leaving);
        emulator.Tenant.AddMember(engineering.Id, joining);
        emulator.Tenant.AddMember(engineering.Id, finance.Id);
        emulator.Tenant.RenameGroup(finance.Id, "Finance & Accounting");
        var next = await ReadGroupsAsync(client, await new GroupsDelta.DeltaRequestBuilder(initial.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());

        Assert.Equal(2, next.Items.Count);
        var changes = GraphSdk.LinkDelta(next.Items.Single(group => group.Id == engineering.Id).AdditionalData);
        Assert.Contains((leaving, true, "#microsoft.graph.user"), changes);
        Assert.Contains((joining, false, "#microsoft.graph.user"), changes);
        Assert.Contains((finance.Id, false, "#microsoft.graph.group"), changes);
        Assert.Equal(3, changes.Count);
        var renamed = next.Items.Single(group => group.Id == finance.Id);
        Assert.Equal("Finance & Accounting", renamed.DisplayName);
        Assert.Empty(GraphSdk.LinkDelta(renamed.AdditionalData));
    }

    [Fact]
    public async Task Deleting_a_user_removes_it_from_its_groups_in_groups_delta()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);
        var initial = await ReadGroupsAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["displayName", "members"]));
        var sre = emulator.Snapshot().Groups.Single(group => group.DisplayName == "Engineering - SRE");
        var member = sre.MemberIds[0];

        emulator.Tenant.SoftDeleteUser(member);
        var next = await ReadGroupsAsync(client, await new GroupsDelta.DeltaRequestBuilder(initial.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());

        Assert.Contains(next.Items, group => group.Id == sre.Id && GraphSdk.LinkDelta(group.AdditionalData).Contains((member, true, "#microsoft.graph.user")));
        Assert.DoesNotContain(member, emulator.Snapshot().Groups.Single(group => group.Id == sre.Id).MemberIds);

        // Restoring the user brings its memberships back, reported as additions.
        emulator.Tenant.RestoreUser(member);
        var third = await ReadGroupsAsync(client, await new GroupsDelta.DeltaRequestBuilder(next.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());
        Assert.Contains(third.Items, group => group.Id == sre.Id && GraphSdk.LinkDelta(group.AdditionalData).Contains((member, false, "#microsoft.graph.user")));
    }

    [Fact]
    public async Task A_deleted_group_is_reported_as_removed()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);
        var initial = await ReadGroupsAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync());
        Assert.Equal(11, initial.Items.Count);
        var added = emulator.Tenant.AddGroup("Temporary");
        var marketing = initial.Items.Single(group => group.DisplayName == "Marketing").Id!;

        emulator.Tenant.DeleteGroup(marketing);
        var next = await ReadGroupsAsync(client, await new GroupsDelta.DeltaRequestBuilder(initial.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());

        Assert.Equal(2, next.Items.Count);
        Assert.Equal("deleted", GraphSdk.RemovedReason(next.Items.Single(group => group.Id == marketing).AdditionalData));
        Assert.Equal("Temporary", next.Items.Single(group => group.Id == added).DisplayName);
    }

    [Fact]
    public async Task The_latest_delta_token_starts_tracking_from_now_without_data()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);

        // §1/§6: "$deltatoken=latest" passed as a raw URL returns only a deltaLink.
        var latest = await new UsersDelta.DeltaRequestBuilder(emulator.BaseUrl + "/users/delta?$deltatoken=latest", client.RequestAdapter)
            .GetAsDeltaGetResponseAsync();
        Assert.Empty(latest!.Value!);
        Assert.NotNull(latest.OdataDeltaLink);

        var added = emulator.Tenant.AddUser("later@contoso.com", "Later User");
        var next = await ReadUsersAsync(client, await new UsersDelta.DeltaRequestBuilder(latest.OdataDeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());
        Assert.Equal(added, Assert.Single(next.Items).Id);
    }

    [Fact]
    public async Task Prefer_maxpagesize_is_honoured_up_to_the_cap()
    {
        var builder = new DirectorySeedBuilder();
        builder.AddUsers(120);
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = builder.Build(), UserPageSize = 100, MaxPageSize = 50 });
        using var client = GraphSdk.Client(emulator);

        var small = await client.Users.Delta.GetAsDeltaGetResponseAsync(config => config.Headers.Add("Prefer", "odata.maxpagesize=10"));
        var capped = await client.Users.Delta.GetAsDeltaGetResponseAsync(config => config.Headers.Add("Prefer", "odata.maxpagesize=1000"));

        Assert.Equal(10, small!.Value!.Count);
        Assert.Equal(50, capped!.Value!.Count);
        Assert.NotNull(small.OdataNextLink);
        Assert.Null(small.OdataDeltaLink);
    }

    [Fact]
    public async Task Prefer_return_minimal_returns_only_the_changed_properties()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);
        var initial = await ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["displayName", "jobTitle", "mail"]));
        var adele = initial.Items.Single(user => user.DisplayName == "Adele Vance").Id!;

        emulator.Tenant.UpdateUser(adele, new Dictionary<string, object?> { ["jobTitle"] = "CTO", ["mail"] = null });
        using var http = emulator.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, initial.DeltaLink);
        request.Headers.Add("Prefer", "return=minimal");
        using var response = await http.SendAsync(request);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var user = Assert.Single(page.RootElement.GetProperty("value").EnumerateArray().ToList());
        Assert.Equal("CTO", user.GetProperty("jobTitle").GetString());
        Assert.False(user.TryGetProperty("displayName", out _));
        // §1: a property set to null still appears, as null.
        Assert.Equal(JsonValueKind.Null, user.GetProperty("mail").ValueKind);
        Assert.Equal(adele, user.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Selecting_manager_reports_manager_changes()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);
        var initial = await ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["displayName", "manager"]));
        var adele = initial.Items.Single(user => user.DisplayName == "Adele Vance");
        var allan = initial.Items.Single(user => user.DisplayName == "Allan Deyoung");
        Assert.Equal(allan.Id, Assert.Single(GraphSdk.LinkDelta(adele.AdditionalData, "manager@delta")).Id);

        emulator.Tenant.SetManager(adele.Id!, initial.Items.Single(user => user.DisplayName == "Alex Wilber").Id);
        var next = await ReadUsersAsync(client, await new UsersDelta.DeltaRequestBuilder(initial.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());

        var changed = Assert.Single(next.Items);
        Assert.Equal(adele.Id, changed.Id);
        Assert.Equal("Alex Wilber", initial.Items.Single(user => user.Id == GraphSdk.LinkDelta(changed.AdditionalData, "manager@delta").Single().Id).DisplayName);
    }

    [Fact]
    public async Task An_initial_round_can_list_deleted_objects_when_configured()
    {
        var builder = new DirectorySeedBuilder();
        var ids = builder.AddUsers(3);
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = builder.Build(), ReportDeletedInInitialRound = true });
        emulator.Tenant.SoftDeleteUser(ids[0]);
        using var client = GraphSdk.Client(emulator);

        var round = await ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync());

        Assert.Equal(3, round.Items.Count);
        Assert.Equal("changed", GraphSdk.RemovedReason(round.Items.Single(user => user.Id == ids[0]).AdditionalData));
    }

    [Fact]
    public async Task Rounds_can_start_with_an_empty_page_that_still_carries_a_nextLink()
    {
        var builder = new DirectorySeedBuilder();
        builder.AddUsers(7);
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Seed = builder.Build(),
            UserPageSize = 5,
            StartRoundsWithEmptyPage = true,
        });
        using var client = GraphSdk.Client(emulator);

        // §2: a page may be empty and still carry a nextLink.
        var first = await client.Users.Delta.GetAsDeltaGetResponseAsync();
        Assert.Empty(first!.Value!);
        Assert.NotNull(first.OdataNextLink);
        var round = await ReadUsersAsync(client, first);
        Assert.Equal(7, round.Items.Count);

        var added = emulator.Tenant.AddUser("late@contoso.com", "Late");
        var next = await ReadUsersAsync(client, await new UsersDelta.DeltaRequestBuilder(round.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());
        Assert.Equal(added, Assert.Single(next.Items).Id);
        Assert.Equal(3 + 2, emulator.DeltaRequests(ObjectType.User));
    }

    internal sealed record Round<T>(List<T> Items, string DeltaLink);

    internal static async Task<Round<User>> ReadUsersAsync(GraphServiceClient client, UsersDelta.DeltaGetResponse? first)
    {
        var items = new List<User>();
        var iterator = PageIterator<User, UsersDelta.DeltaGetResponse>.CreatePageIterator(client, first!, user =>
        {
            items.Add(user);
            return true;
        });
        await iterator.IterateAsync();
        Assert.Equal(PagingState.Delta, iterator.State);
        return new Round<User>(items, iterator.Deltalink);
    }

    internal static async Task<Round<Group>> ReadGroupsAsync(GraphServiceClient client, GroupsDelta.DeltaGetResponse? first)
    {
        var items = new List<Group>();
        var iterator = PageIterator<Group, GroupsDelta.DeltaGetResponse>.CreatePageIterator(client, first!, group =>
        {
            items.Add(group);
            return true;
        });
        await iterator.IterateAsync();
        Assert.Equal(PagingState.Delta, iterator.State);
        return new Round<Group>(items, iterator.Deltalink);
    }
}
