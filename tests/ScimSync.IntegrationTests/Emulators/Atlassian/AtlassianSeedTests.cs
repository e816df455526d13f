using System.Net;
using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

public sealed class AtlassianSeedTests
{
    private const string SeedJson = """
        {
          // Comments and trailing commas are allowed.
          "accounts": [ { "email": "ann@example.com", "atlassianAccountId": "5b10ac8d82e05b22cc7d4ef5" } ],
          "users": [
            { "userName": "bob@example.com", "displayName": "Bob Lee", "givenName": "Bob", "familyName": "Lee",
              "externalId": "obj-bob", "attributes": { "title": "Engineer" } },
            { "userName": "cid@example.com", "active": false,
              "emails": [ { "value": "cid@example.com", "type": "work", "primary": true } ] },
          ],
          "groups": [ { "displayName": "Engineering", "externalId": "g-1", "members": [ "bob@example.com", "cid@example.com" ] } ]
        }
        """;

    [Fact]
    public async Task A_seeded_directory_serves_its_users_groups_and_accounts()
    {
        // atlassian-scim-api.md §5: pre-existing accounts are linked, existing SCIM users are found by userName filter
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { Seed = AtlassianSeed.Parse(SeedJson) });
        using var client = emulator.CreateClient();

        var found = await (await client.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"bob@example.com\""))).ReadObjectAsync();
        var ann = await client.CreateUserAsync("ann@example.com");
        var group = await (await client.GetAsync("Groups?filter=" + Uri.EscapeDataString("displayName eq \"Engineering\""))).ReadObjectAsync();

        var bob = found["Resources"]![0]!;
        Assert.Equal("Bob Lee", bob.Text("displayName"));
        Assert.Equal("Engineer", bob.Text("title"));
        Assert.Equal("obj-bob", bob.Text("externalId"));
        Assert.Equal("5b10ac8d82e05b22cc7d4ef5", ann["urn:scim:schemas:extension:atlassian-external:1.0"].Text("atlassianAccountId"));
        Assert.Equal(2, group["Resources"]![0]!["members"]!.AsArray().Count);
        Assert.False(emulator.State.FindUserByUserName("cid@example.com")!.Active);
        Assert.True(emulator.State.FindUserByUserName("bob@example.com")!.Active);
    }

    [Fact]
    public void A_seed_with_an_unknown_property_is_refused_naming_it()
    {
        var error = Assert.Throws<InvalidDataException>(() => AtlassianSeed.Parse("""{"users":[{"userName":"a@example.com","mail":"x"}]}"""));

        Assert.Contains("mail", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_seed_that_breaks_a_directory_rule_fails_at_start()
    {
        // atlassian-scim-api.md §4-§5: userName is unique
        var seed = new AtlassianSeed
        {
            Users = [new AtlassianSeedUser { UserName = "ann@example.com" }, new AtlassianSeedUser { UserName = "ANN@example.com", Emails = [new("other@example.com", "work", true)] }],
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { Seed = seed }));

        Assert.Contains("ANN@example.com", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_empties_the_directory()
    {
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { Seed = AtlassianSeed.Parse(SeedJson) });
        using var client = emulator.CreateClient();

        emulator.Reset();

        var list = await (await client.GetAsync("Users")).ReadObjectAsync();
        Assert.Equal(0, list["totalResults"]!.GetValue<int>());
        Assert.Empty(emulator.State.Groups);
        Assert.Empty(emulator.State.AccountsByEmail);
    }

    [Fact]
    public async Task The_emulator_listens_on_the_port_asked_for()
    {
        int port;
        await using (var probe = await AtlassianScimEmulator.StartAsync())
        {
            port = probe.Port;
        }

        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { Port = port });
        using var client = emulator.CreateClient();

        using var response = await client.GetAsync("ServiceProviderConfig");

        Assert.Equal(port, emulator.Port);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"http://127.0.0.1:{port}/scim/directory/", emulator.BaseUrl, StringComparison.Ordinal);
    }
}
