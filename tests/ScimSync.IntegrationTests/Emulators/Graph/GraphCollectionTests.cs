using System.Net;
using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.Emulators.Graph;

/// <summary>appRoleAssignedTo (graph-delta.md §5), members, transitiveMembers and single-object reads.</summary>
public sealed class GraphCollectionTests
{
    private const string DemoServicePrincipal = "8a4fd323-cdb4-5b77-9366-501321920a5a";
    private const string AtlassianUsers = "450235fb-5180-531d-b65a-f97db50c9a50";
    private const string GoToMarket = "37d270d7-2c4b-509c-9603-37ccc4c3eb41";

    [Fact]
    public async Task AppRoleAssignedTo_pages_through_the_demo_assignments_with_top()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);

        var first = await client.ServicePrincipals[DemoServicePrincipal].AppRoleAssignedTo.GetAsync(config => config.QueryParameters.Top = 4);
        var assignments = new List<AppRoleAssignment>();
        var iterator = PageIterator<AppRoleAssignment, AppRoleAssignmentCollectionResponse>.CreatePageIterator(client, first!, assignment =>
        {
            assignments.Add(assignment);
            return true;
        });
        await iterator.IterateAsync();

        Assert.Equal(4, first!.Value!.Count);
        Assert.StartsWith(emulator.BaseUrl + "/servicePrincipals/", first.OdataNextLink, StringComparison.Ordinal);
        Assert.Equal(6, assignments.Count);
        Assert.Equal(3, assignments.Count(a => a.PrincipalType == "Group"));
        var atlassian = assignments.Single(a => a.PrincipalId == Guid.Parse(AtlassianUsers));
        Assert.Equal("Atlassian Users", atlassian.PrincipalDisplayName);
        Assert.Equal("Atlassian Cloud", atlassian.ResourceDisplayName);
        Assert.Equal(Guid.Parse(DemoServicePrincipal), atlassian.ResourceId);
        Assert.Contains(assignments, a => a.AppRoleId == Guid.Empty);
        Assert.All(assignments, a => Assert.Equal(43, a.Id!.Length));
    }

    [Fact]
    public async Task Assignment_changes_show_on_the_next_read_of_appRoleAssignedTo()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);
        var sales = emulator.Snapshot().Groups.Single(group => group.DisplayName == "Sales").Id;

        emulator.Tenant.Assign(sales);
        emulator.Tenant.Unassign(AtlassianUsers);
        var page = await client.ServicePrincipalsWithAppId("87a57a9f-94ea-548d-b15b-83cd91cc3bf7").GetAsync();
        var assignments = await client.ServicePrincipals[page!.Id].AppRoleAssignedTo.GetAsync();

        var principals = assignments!.Value!.Select(a => a.PrincipalId.ToString()).ToList();
        Assert.Contains(sales, principals);
        Assert.DoesNotContain(AtlassianUsers, principals);
        Assert.Equal(6, principals.Count);

        // §5: the same list is reachable by the application's appId.
        using var http = emulator.CreateClient();
        using var byAppId = JsonDocument.Parse(await http.GetStringAsync(
            new Uri($"{emulator.BaseUrl}/servicePrincipals(appId='87a57a9f-94ea-548d-b15b-83cd91cc3bf7')/appRoleAssignedTo")));
        Assert.Equal(6, byAppId.RootElement.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task TransitiveMembers_lists_users_of_nested_groups_once_over_several_pages()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);
        var snapshot = emulator.Snapshot();
        var expected = ExpandUsers(snapshot, GoToMarket);
        var sales = snapshot.Groups.Single(group => group.DisplayName == "Sales");
        emulator.Tenant.AddMember(GoToMarket, sales.MemberIds[0]);

        var first = await client.Groups[GoToMarket].TransitiveMembers.GetAsync(config =>
        {
            config.QueryParameters.Top = 5;
            config.QueryParameters.Select = ["id", "displayName", "userPrincipalName"];
        });
        var members = new List<DirectoryObject>();
        var iterator = PageIterator<DirectoryObject, DirectoryObjectCollectionResponse>.CreatePageIterator(client, first!, member =>
        {
            members.Add(member);
            return true;
        });
        await iterator.IterateAsync();

        var users = members.OfType<User>().ToList();
        Assert.Equal(expected.Order(), users.Select(user => user.Id!).Order());
        Assert.Equal(2, members.OfType<Group>().Count());
        Assert.All(users, user => Assert.NotNull(user.UserPrincipalName));
        Assert.All(users, user => Assert.Null(user.JobTitle));
        Assert.True(first!.Value!.Count == 5 && first.OdataNextLink is not null);
    }

    [Fact]
    public async Task TransitiveMembers_of_a_5000_member_group_pages_with_the_maximum_top()
    {
        var builder = new DirectorySeedBuilder();
        var users = builder.AddUsers(5_000);
        var group = builder.AddGroup("Everyone", users);
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = builder.Build() });
        using var client = GraphSdk.Client(emulator);

        var first = await client.Groups[group].TransitiveMembers.GetAsync(config => config.QueryParameters.Top = 999);
        var count = 0;
        var iterator = PageIterator<DirectoryObject, DirectoryObjectCollectionResponse>.CreatePageIterator(client, first!, _ =>
        {
            count++;
            return true;
        });
        await iterator.IterateAsync();

        Assert.Equal(5_000, count);
        Assert.Equal(6, emulator.Counters.Count("GET /groups/{id}/transitiveMembers"));
    }

    [Fact]
    public async Task A_cast_to_users_needs_the_advanced_query_header_and_count()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);

        var refused = await Assert.ThrowsAsync<ODataError>(() => client.Groups[AtlassianUsers].TransitiveMembers.GraphUser.GetAsync());
        var users = await client.Groups[AtlassianUsers].TransitiveMembers.GraphUser.GetAsync(config =>
        {
            config.Headers.Add("ConsistencyLevel", "eventual");
            config.QueryParameters.Count = true;
        });

        Assert.Equal("Request_UnsupportedQuery", refused.Error!.Code);
        var expected = ExpandUsers(emulator.Snapshot(), AtlassianUsers);
        Assert.Equal(expected.Count, users!.OdataCount);
        Assert.Equal(Math.Min(100, expected.Count), users.Value!.Count);
    }

    [Fact]
    public async Task Members_lists_direct_members_only()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);

        var members = await client.Groups[GoToMarket].Members.GetAsync();

        Assert.Equal(["Marketing", "Sales"], members!.Value!.OfType<Group>().Select(group => group.DisplayName!).Order());
        Assert.Equal(2, members.Value!.Count);
    }

    [Fact]
    public async Task A_user_and_a_group_read_by_id_and_unknown_ids_get_a_Graph_404()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);

        var user = await client.Users["adele.vance@contoso.com"].GetAsync(config => config.QueryParameters.Select = ["id", "department", "accountEnabled"]);
        var group = await client.Groups[GoToMarket].GetAsync();
        var missing = await Assert.ThrowsAsync<ODataError>(() => client.Users[Guid.NewGuid().ToString()].GetAsync());
        var missingGroup = await Assert.ThrowsAsync<ODataError>(() => client.Groups[Guid.NewGuid().ToString()].TransitiveMembers.GetAsync());

        Assert.Equal("Engineering", user!.Department);
        Assert.True(user.AccountEnabled);
        Assert.Null(user.DisplayName);
        Assert.Equal("Go-To-Market", group!.DisplayName);
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.Equal("Request_ResourceNotFound", missing.Error!.Code);
        Assert.Equal(404, missingGroup.ResponseStatusCode);
    }

    [Fact]
    public async Task An_unknown_property_in_select_is_a_bad_request_naming_it()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);

        var error = await Assert.ThrowsAsync<ODataError>(() =>
            client.Users.Delta.GetAsDeltaGetResponseAsync(config => config.QueryParameters.Select = ["displayName", "departmant"]));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Contains("'departmant'", error.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_soft_deleted_user_is_hidden_from_reads_and_assignments()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var http = emulator.CreateClient();
        var assigned = emulator.Snapshot().Assignments.First(a => a.PrincipalType == ObjectType.User).PrincipalId;

        emulator.Tenant.SoftDeleteUser(assigned);
        using var read = await http.GetAsync(new Uri($"{emulator.BaseUrl}/users/{assigned}"));
        var assignments = await http.GetStringAsync(new Uri($"{emulator.BaseUrl}/servicePrincipals/{DemoServicePrincipal}/appRoleAssignedTo"));

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.DoesNotContain(assigned, assignments, StringComparison.OrdinalIgnoreCase);
        emulator.Tenant.RestoreUser(assigned);
        Assert.Contains(assigned, await http.GetStringAsync(new Uri($"{emulator.BaseUrl}/servicePrincipals/{DemoServicePrincipal}/appRoleAssignedTo")), StringComparison.OrdinalIgnoreCase);
        using var error = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        Assert.True(error.RootElement.GetProperty("error").TryGetProperty("innerError", out _));
    }

    // Users reachable from a group through nested groups, computed from the seed's snapshot.
    private static HashSet<string> ExpandUsers(GraphTenantSnapshot snapshot, string groupId)
    {
        var groups = snapshot.Groups.ToDictionary(group => group.Id, StringComparer.OrdinalIgnoreCase);
        var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>([groupId]);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (pending.TryPop(out var id))
        {
            if (!seen.Add(id))
            {
                continue;
            }

            foreach (var member in groups[id].MemberIds)
            {
                if (groups.ContainsKey(member))
                {
                    pending.Push(member);
                }
                else
                {
                    users.Add(member);
                }
            }
        }

        return users;
    }
}
