using System.Net;
using System.Text.Json.Nodes;
using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

public sealed class AtlassianQueryTests(AtlassianEmulatorFixture fixture) : IClassFixture<AtlassianEmulatorFixture>
{
    private AtlassianScimEmulator Emulator => fixture.Emulator;

    private static string Filter(string filter) => "filter=" + Uri.EscapeDataString(filter);

    private static async Task<JsonObject> ListAsync(HttpClient client, string uri)
    {
        using var response = await client.GetAsync(uri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    [Fact]
    public async Task A_userName_filter_finds_the_user_regardless_of_case()
    {
        // atlassian-scim-api.md §3: userName eq; RFC 7643 §4.1.1 userName is caseExact=false, so case is ignored
        using var client = fixture.Fresh();
        var id = (await client.CreateUserAsync("Ann.Smith@example.com")).Id();
        await client.CreateUserAsync("bob@example.com");

        var list = await ListAsync(client, "Users?" + Filter("userName eq \"ann.smith@EXAMPLE.com\""));

        Assert.Equal(ScimHttpListSchema, list["schemas"]![0]!.GetValue<string>());
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        Assert.Equal(1, list["itemsPerPage"]!.GetValue<int>());
        Assert.Equal(1, list["startIndex"]!.GetValue<int>());
        Assert.Equal(id, list["Resources"]![0]!.AsObject().Id());
    }

    private const string ScimHttpListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    [Fact]
    public async Task An_externalId_filter_matches_case_exactly()
    {
        // atlassian-scim-api.md §3 (externalId eq) and §4 (externalId is case-sensitive)
        using var client = fixture.Fresh();
        await client.CreateUserAsync("ann@example.com", externalId: "ObjId-1");

        var exact = await ListAsync(client, "Users?" + Filter("externalId eq \"ObjId-1\""));
        var otherCase = await ListAsync(client, "Users?" + Filter("externalId eq \"objid-1\""));

        Assert.Equal(1, exact["totalResults"]!.GetValue<int>());
        Assert.Equal(0, otherCase["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Filter_string_literals_decode_escaped_quotes_backslashes_and_unicode()
    {
        // atlassian-scim-api.md §3 with RFC 7644 §3.4.2.2: the comparison value is a JSON string literal
        using var client = fixture.Fresh();
        var id = (await client.CreateUserAsync("o\"brien\\jr-é", email: "obrien@example.com")).Id();

        var escaped = await ListAsync(client, "Users?" + Filter("userName eq \"o\\\"brien\\\\jr-\\u00e9\""));
        var raw = await ListAsync(client, "Users?" + Filter("USERNAME EQ \"o\\\"brien\\\\jr-é\""));

        Assert.Equal(id, escaped["Resources"]![0]!.AsObject().Id());
        Assert.Equal(id, raw["Resources"]![0]!.AsObject().Id());
    }

    [Theory]
    [InlineData("emails[type eq \"work\"].value eq \"ann@example.com\"")]
    [InlineData("displayName eq \"Ann\"")]
    [InlineData("userName sw \"ann\"")]
    [InlineData("userName eq \"ann@example.com\" and externalId eq \"x\"")]
    [InlineData("userName eq \"unterminated")]
    [InlineData("userName eq true")]
    [InlineData("userName pr")]
    [InlineData("")]
    public async Task Any_other_user_filter_gets_400_invalidFilter(string filter)
    {
        // atlassian-scim-api.md §3: only userName/externalId eq; the emails filter Entra may use returns 400 (ACCESS-1424)
        using var client = fixture.Fresh();
        await client.CreateUserAsync("ann@example.com");

        using var response = await client.GetAsync("Users?" + Filter(filter));

        await response.AssertScimErrorAsync(400, "invalidFilter");
    }

    [Fact]
    public async Task Groups_filter_on_displayName_only()
    {
        // atlassian-scim-api.md §3: Groups support only displayName eq "…"
        using var client = fixture.Fresh();
        var id = (await client.CreateGroupAsync("Engineering", externalId: "g-1")).Id();

        var found = await ListAsync(client, "Groups?" + Filter("displayName eq \"Engineering\""));
        using var byExternalId = await client.GetAsync("Groups?" + Filter("externalId eq \"g-1\""));

        Assert.Equal(id, found["Resources"]![0]!.AsObject().Id());
        await byExternalId.AssertScimErrorAsync(400, "invalidFilter");
    }

    [Fact]
    public async Task Pages_hold_at_most_100_users_whatever_count_asks_for()
    {
        // atlassian-scim-api.md §3: startIndex is 1-based and 100 is the maximum page size
        using var client = fixture.Fresh();
        for (var i = 0; i < 250; i++)
        {
            Emulator.State.SeedUser(new AtlassianSeedUser { UserName = $"user{i:000}@example.com" });
        }

        var first = await ListAsync(client, "Users?count=200");
        var defaultPage = await ListAsync(client, "Users");
        var third = await ListAsync(client, "Users?startIndex=201&count=100");
        var small = await ListAsync(client, "Users?startIndex=101&count=5");
        var beyond = await ListAsync(client, "Users?startIndex=251");

        Assert.Equal(250, first["totalResults"]!.GetValue<int>());
        Assert.Equal(100, first["itemsPerPage"]!.GetValue<int>());
        Assert.Equal(100, first["Resources"]!.AsArray().Count);
        Assert.Equal(100, defaultPage["Resources"]!.AsArray().Count);
        Assert.Equal(201, third["startIndex"]!.GetValue<int>());
        Assert.Equal(50, third["Resources"]!.AsArray().Count);
        Assert.Equal("user200@example.com", third["Resources"]![0].Text("userName"));
        Assert.Equal(["user100@example.com", "user101@example.com", "user102@example.com", "user103@example.com", "user104@example.com"],
            small["Resources"]!.AsArray().Select(u => u.Text("userName")));
        Assert.Empty(beyond["Resources"]!.AsArray());
        Assert.Equal(250, beyond["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Walking_pages_of_100_returns_every_user_exactly_once()
    {
        // atlassian-scim-api.md §3: page with startIndex=1, 101, 201, …
        using var client = fixture.Fresh();
        for (var i = 0; i < 250; i++)
        {
            Emulator.State.SeedUser(new AtlassianSeedUser { UserName = $"user{i:000}@example.com" });
        }

        var seen = new List<string>();
        for (var start = 1; ; start += 100)
        {
            var page = await ListAsync(client, $"Users?startIndex={start}&count=100");
            var resources = page["Resources"]!.AsArray();
            seen.AddRange(resources.Select(r => r!.AsObject().Id()));
            if (resources.Count < 100)
            {
                break;
            }
        }

        Assert.Equal(250, seen.Distinct().Count());
        Assert.Equal(250, seen.Count);
    }

    [Fact]
    public async Task A_count_that_is_not_a_number_gets_400()
    {
        // atlassian-scim-api.md §2: GET /Users documents 400 for bad parameters
        using var client = fixture.Fresh();

        using var response = await client.GetAsync("Users?count=many");

        await response.AssertScimErrorAsync(400, "invalidValue");
    }

    [Fact]
    public async Task The_attributes_parameter_returns_only_the_named_attributes_plus_id()
    {
        // atlassian-scim-api.md §3: attributes on Users, e.g. userName,emails.value
        using var client = fixture.Fresh();
        var body = ScimHttp.UserBody("ann@example.com");
        body["title"] = "Engineer";
        body[ScimHttp.EnterpriseSchema] = new JsonObject { ["department"] = "R&D", ["organization"] = "Org" };
        await client.PostAsync("Users", ScimHttp.Json(body));

        var list = await ListAsync(client, "Users?attributes=userName,emails.value," + ScimHttp.EnterpriseSchema + ":department");

        var user = list["Resources"]![0]!.AsObject();
        Assert.Equal(["schemas", "userName", "emails", ScimHttp.EnterpriseSchema, "id"], user.Select(p => p.Key));
        Assert.Equal(["value"], user["emails"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(["department"], user[ScimHttp.EnterpriseSchema]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task The_excludedAttributes_parameter_drops_the_named_attributes()
    {
        // atlassian-scim-api.md §3: excludedAttributes on Users, e.g. timezone,emails.type,department
        using var client = fixture.Fresh();
        var body = ScimHttp.UserBody("ann@example.com");
        body["timezone"] = "Europe/Oslo";
        body["department"] = "R&D";
        body["title"] = "Engineer";
        var id = (await (await client.PostAsync("Users", ScimHttp.Json(body))).ReadObjectAsync()).Id();

        using var response = await client.GetAsync($"Users/{id}?excludedAttributes=timezone,emails.type,department");

        var user = await response.ReadObjectAsync();
        Assert.Null(user["timezone"]);
        Assert.Null(user["department"]);
        Assert.Equal("Engineer", user.Text("title"));
        Assert.Equal(["value", "primary"], user["emails"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(id, user.Id());
    }

    [Fact]
    public async Task Attributes_and_excludedAttributes_together_get_400()
    {
        // atlassian-scim-api.md §3: the two parameters are mutually exclusive
        using var client = fixture.Fresh();

        using var response = await client.GetAsync("Users?attributes=userName&excludedAttributes=title");

        await response.AssertScimErrorAsync(400, "invalidSyntax");
    }

    [Fact]
    public async Task Groups_ignore_attribute_projection_and_always_return_members()
    {
        // atlassian-scim-api.md §2-§3: the Groups endpoints have no attributes parameters
        using var client = fixture.Fresh();
        var user = (await client.CreateUserAsync("ann@example.com")).Id();
        var group = (await client.CreateGroupAsync("Engineering")).Id();
        await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Add","path":"members","value":[{"value":"{{user}}"}]}]""");

        var read = await (await client.GetAsync($"Groups/{group}?excludedAttributes=members")).ReadObjectAsync();

        Assert.Equal(user, read["members"]![0].Text("value"));
        Assert.Equal("Engineering", read.Text("displayName"));
    }
}
