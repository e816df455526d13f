using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.Emulators.Graph;

/// <summary>The demo directory format (docs/demo-directory.md) and the builder for large tenants.</summary>
public sealed class DirectorySeedTests
{
    [Fact]
    public void The_demo_directory_holds_the_documented_users_groups_and_assignments()
    {
        var tenant = GraphTenant.FromSeed(DirectorySeedFile.Load(DemoDirectory.Path));

        var snapshot = tenant.Snapshot();
        Assert.Equal(410, snapshot.Users.Count);
        Assert.Equal(360, snapshot.Users.Count(user => user.Properties["department"].GetString() == "Field Operations"));
        Assert.Equal(11, snapshot.Groups.Count);
        Assert.Equal(360, snapshot.Groups.Single(group => group.DisplayName == "Field Operations").MemberIds.Count);
        Assert.Equal(3, snapshot.Users.Count(user => user.Properties.TryGetValue("accountEnabled", out var enabled) && !enabled.GetBoolean()));
        Assert.Equal(4, snapshot.Users.Take(50).Count(user => !user.Properties.ContainsKey("mail")));
        Assert.Equal(6, snapshot.Assignments.Count);
        Assert.Contains(snapshot.Groups.Single(group => group.DisplayName == "Platform").MemberIds,
            id => snapshot.Groups.Any(group => group.Id == id && group.DisplayName == "Engineering - SRE"));
        Assert.Equal(5, snapshot.Groups.Single(group => group.DisplayName == "Atlassian Users").MemberIds
            .Count(id => snapshot.Groups.Any(group => group.Id == id)));
    }

    [Fact]
    public void Generated_users_follow_the_documented_numbering()
    {
        var seed = DirectorySeedFile.Load(DemoDirectory.Path);

        var users = GeneratedUsers.Expand(seed.GeneratedUsers.Single()).ToList();

        var seventh = users[6];
        Assert.Equal("f1e1d000-0000-4000-8000-000000000007", seventh.Id);
        Assert.Equal("tech007@contoso.com", seventh.Properties["userPrincipalName"].GetString());
        Assert.Equal("Technician 007", seventh.Properties["surname"].GetString());
        Assert.Equal("Field Technician 007", seventh.Properties["displayName"].GetString());
        Assert.Equal("tech007@contoso.com", seventh.Properties["mail"].GetString());
        Assert.True(seventh.Properties["accountEnabled"].GetBoolean());
    }

    [Fact]
    public void A_seed_with_broken_references_is_rejected_with_every_problem_and_its_path()
    {
        const string json = """
            {
              "servicePrincipal": { "id": "sp-1", "appId": "app-1", "displayName": "App", "appRoles": [] },
              "users": [ { "id": "u1", "userPrincipalName": "a@contoso.com", "displayName": "A", "favouriteColour": "blue", "managerId": "nobody" } ],
              "groups": [ { "id": "g1", "displayName": "G", "members": ["u1", "u2"], "includeGeneratedUsers": "missing" } ],
              "appRoleAssignments": [ { "principalType": "User", "principalId": "g1", "appRoleId": "00000000-0000-0000-0000-000000000000" } ]
            }
            """;

        var error = Assert.Throws<InvalidDataException>(() => DirectorySeedFile.Parse(json, "test.json"));

        Assert.Contains("users[0].favouriteColour", error.Message, StringComparison.Ordinal);
        Assert.Contains("users[0].managerId", error.Message, StringComparison.Ordinal);
        Assert.Contains("groups[0].members[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("groups[0].includeGeneratedUsers", error.Message, StringComparison.Ordinal);
        Assert.Contains("appRoleAssignments[0].principalId", error.Message, StringComparison.Ordinal);
        Assert.Contains("appRoleAssignments[0].appRoleId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_top_level_key_is_reported()
    {
        var error = Assert.Throws<InvalidDataException>(() => DirectorySeedFile.Parse("""{ "userz": [] }""", "test.json"));

        Assert.Contains("userz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_built_tenant_of_ten_thousand_users_and_five_hundred_groups_is_served()
    {
        var builder = new DirectorySeedBuilder();
        var users = builder.AddUsers(10_000);
        var big = builder.AddGroup("All staff", users.Take(5_000));
        for (var i = 1; i < 500; i++)
        {
            builder.AddGroup($"Team {i}", users.Skip(i * 20).Take(20));
        }

        builder.Assign(big, ObjectType.Group);
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = builder.Build(), UserPageSize = 200 });
        using var client = GraphSdk.Client(emulator);

        var round = await GraphDeltaTests.ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["userPrincipalName"]));

        Assert.Equal(10_000, round.Items.Select(user => user.Id).Distinct().Count());
        Assert.Equal(500, emulator.Snapshot().Groups.Count);
        Assert.Equal(5_000, emulator.Snapshot().Groups[0].MemberIds.Count);
    }
}
