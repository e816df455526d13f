using System.Net;
using System.Text.Json;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.Emulators.Graph;

/// <summary>The ways Graph may shape a delta round that the emulator offers as switches (graph-delta.md §1-3).</summary>
public sealed class GraphDeltaVariationTests
{
    [Fact]
    public async Task Repeated_objects_come_twice_within_a_page_and_again_at_the_start_of_the_next_page()
    {
        await using var emulator = await Start(new GraphEmulatorOptions { RepeatObjects = true, UserPageSize = 4 }, users: 10);

        var (pages, _) = await RoundAsync(emulator, "users/delta?$select=displayName");

        Assert.Contains(pages[0], page => pages[0].Count(id => id == page) == 2);
        Assert.Equal(pages[0][^1], pages[1][0]);
        Assert.Equal(10, pages.SelectMany(p => p).Distinct().Count());
    }

    [Fact]
    public async Task Shuffled_rounds_list_every_object_once_in_another_order_than_creation()
    {
        await using var emulator = await Start(new GraphEmulatorOptions { ShuffleOrder = true, UserPageSize = 50 }, users: 30);

        var (pages, _) = await RoundAsync(emulator, "users/delta?$select=displayName");

        var ids = pages.SelectMany(p => p).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), emulator.Snapshot().Users.Select(u => u.Id).Order(StringComparer.Ordinal));
        Assert.NotEqual(emulator.Snapshot().Users.Select(u => u.Id), ids);
    }

    [Fact]
    public async Task Varying_page_sizes_stay_within_the_page_size_and_differ_from_page_to_page()
    {
        await using var emulator = await Start(new GraphEmulatorOptions { VaryPageSizes = true, UserPageSize = 10 }, users: 60);

        var (pages, _) = await RoundAsync(emulator, "users/delta?$select=displayName");

        Assert.All(pages, page => Assert.InRange(page.Count, 1, 10));
        Assert.True(pages.Select(p => p.Count).Distinct().Count() > 1);
        Assert.Equal(60, pages.SelectMany(p => p).Distinct().Count());
    }

    [Fact]
    public async Task Former_members_are_reported_as_removed_in_an_initial_round_when_switched_on()
    {
        var builder = new DirectorySeedBuilder();
        var users = builder.AddUsers(3);
        var group = builder.AddGroup("Team", users);
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = builder.Build(), ReportRemovedMembersInInitialRound = true });
        emulator.Tenant.RemoveMember(group, users[1]);

        using var http = emulator.CreateClient();
        using var page = await GetAsync(http, emulator.BaseUrl + "/groups/delta?$select=displayName,members");

        var members = page.RootElement.GetProperty("value")[0].GetProperty("members@delta").EnumerateArray().ToList();
        Assert.Equal(3, members.Count);
        Assert.True(members.Single(m => m.GetProperty("id").GetString() == users[1]).TryGetProperty("@removed", out _));
    }

    [Fact]
    public async Task With_replica_lag_an_assignment_shows_at_once_and_its_new_user_in_delta_only_requests_later()
    {
        await using var emulator = await Start(new GraphEmulatorOptions { ReplicaLagRequests = 3 }, users: 2);
        using var http = emulator.CreateClient();
        var (_, deltaLink) = await RoundAsync(emulator, "users/delta?$select=displayName");

        var added = emulator.Tenant.AddUser("late@contoso.com", "Late Arrival");
        emulator.Tenant.Assign(added);
        using var assignments = await GetAsync(http, $"{emulator.BaseUrl}/servicePrincipals/{emulator.Tenant.ServicePrincipal.Id}/appRoleAssignedTo");
        using var lagging = await GetAsync(http, deltaLink);
        using var other = await GetAsync(http, emulator.BaseUrl + "/users/delta?$deltatoken=latest");
        using var caughtUp = await GetAsync(http, deltaLink);

        Assert.Contains(assignments.RootElement.GetProperty("value").EnumerateArray(), a => a.GetProperty("principalId").GetString() == added);
        Assert.Equal(0, lagging.RootElement.GetProperty("value").GetArrayLength());
        Assert.Equal(added, caughtUp.RootElement.GetProperty("value")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_soft_deleted_group_is_removed_with_reason_changed_and_comes_back_in_full_when_restored()
    {
        var builder = new DirectorySeedBuilder();
        var group = builder.AddGroup("Team", builder.AddUsers(2));
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = builder.Build() });
        using var http = emulator.CreateClient();
        var (_, link) = await RoundAsync(emulator, "groups/delta?$select=displayName,members");

        emulator.Tenant.SoftDeleteGroup(group);
        using var removed = await GetAsync(http, link);
        link = removed.RootElement.GetProperty("@odata.deltaLink").GetString()!;
        emulator.Tenant.RestoreGroup(group);
        using var restored = await GetAsync(http, link);

        Assert.Equal("changed", removed.RootElement.GetProperty("value")[0].GetProperty("@removed").GetProperty("reason").GetString());
        var back = restored.RootElement.GetProperty("value")[0];
        Assert.Equal("Team", back.GetProperty("displayName").GetString());
        Assert.Equal(2, back.GetProperty("members@delta").GetArrayLength());
    }

    [Fact]
    public async Task A_property_outside_the_main_store_changes_without_a_delta_entry_and_shows_when_the_user_comes_back()
    {
        await using var emulator = await Start(new GraphEmulatorOptions(), users: 1);
        using var http = emulator.CreateClient();
        var id = emulator.Snapshot().Users[0].Id;
        var (_, link) = await RoundAsync(emulator, "users/delta?$select=displayName,aboutMe");

        emulator.Tenant.UpdateUser(id, "aboutMe", "Hidden from delta");
        using var quiet = await GetAsync(http, link);
        emulator.Tenant.UpdateUser(id, "displayName", "Visible Change");
        using var changed = await GetAsync(http, link);

        Assert.Equal(0, quiet.RootElement.GetProperty("value").GetArrayLength());
        Assert.Equal("Hidden from delta", changed.RootElement.GetProperty("value")[0].GetProperty("aboutMe").GetString());
    }

    [Fact]
    public async Task Changed_properties_only_sends_an_updated_user_as_its_id_and_what_changed()
    {
        await using var emulator = await Start(new GraphEmulatorOptions { SendChangedPropertiesOnly = true }, users: 1);
        using var http = emulator.CreateClient();
        var id = emulator.Snapshot().Users[0].Id;
        var (_, link) = await RoundAsync(emulator, "users/delta?$select=displayName,jobTitle,department");

        emulator.Tenant.UpdateUser(id, new Dictionary<string, object?> { ["jobTitle"] = "Lead", ["department"] = null });
        using var changed = await GetAsync(http, link);

        var user = changed.RootElement.GetProperty("value")[0];
        Assert.Equal(["department", "id", "jobTitle"], user.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Null, user.GetProperty("department").ValueKind);
    }

    [Fact]
    public async Task Expand_on_delta_is_refused_as_Graph_refuses_it()
    {
        await using var emulator = await Start(new GraphEmulatorOptions(), users: 1);
        using var http = emulator.CreateClient();

        using var response = await http.GetAsync(new Uri(emulator.BaseUrl + "/groups/delta?$expand=members"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Request_UnsupportedQuery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<GraphEmulator> Start(GraphEmulatorOptions options, int users)
    {
        var builder = new DirectorySeedBuilder();
        builder.AddUsers(users);
        options.Seed = builder.Build();
        return GraphEmulator.StartAsync(options);
    }

    private static async Task<JsonDocument> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Follows a round from its first request to the deltaLink; returns each page's ids and the deltaLink.</summary>
    private static async Task<(List<List<string>> Pages, string DeltaLink)> RoundAsync(GraphEmulator emulator, string query)
    {
        using var http = emulator.CreateClient();
        var pages = new List<List<string>>();
        var url = $"{emulator.BaseUrl}/{query}";
        while (true)
        {
            using var page = await GetAsync(http, url);
            pages.Add([.. page.RootElement.GetProperty("value").EnumerateArray().Select(o => o.GetProperty("id").GetString()!)]);
            if (page.RootElement.TryGetProperty("@odata.deltaLink", out var delta))
            {
                return (pages, delta.GetString()!);
            }

            url = page.RootElement.GetProperty("@odata.nextLink").GetString()!;
        }
    }
}
