using System.Net;
using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

public sealed class AtlassianUserPatchTests(AtlassianEmulatorFixture fixture) : IClassFixture<AtlassianEmulatorFixture>
{
    private const string Department = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";

    private AtlassianScimEmulator Emulator => fixture.Emulator;

    private async Task<(HttpClient Client, string Id)> UserAsync()
    {
        var client = fixture.Fresh();
        return (client, (await client.CreateUserAsync("ann@example.com")).Id());
    }

    [Theory]
    [InlineData("Replace")]
    [InlineData("replace")]
    [InlineData("REPLACE")]
    [InlineData("Add")]
    [InlineData("add")]
    public async Task Every_op_spelling_Entra_sends_is_accepted(string op)
    {
        // entra-provisioning-service.md §5: ops are Add/Replace/Remove, lower case with aadOptscim062020; match case-insensitively
        var (client, id) = await UserAsync();

        using var response = await client.PatchAsync($"Users/{id}", $$"""[{"op":"{{op}}","path":"title","value":"Engineer"}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Engineer", (await response.ReadObjectAsync()).Text("title"));
        Assert.Equal("Engineer", Emulator.State.FindUser(id)!.Attribute("title"));
    }

    [Fact]
    public async Task Patch_answers_200_with_the_full_user()
    {
        // atlassian-scim-api.md §2: PATCH /Users/{id} answers 200 with the user
        var (client, id) = await UserAsync();

        using var response = await client.PatchAsync($"Users/{id}", """[{"op":"Replace","path":"displayName","value":"Ann"}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await response.ReadObjectAsync();
        Assert.Equal(id, user.Id());
        Assert.Equal("ann@example.com", user.Text("userName"));
        Assert.Equal("Ann", user.Text("displayName"));
        Assert.NotNull(user["meta"]);
    }

    [Fact]
    public async Task Entras_multi_valued_and_single_replace_forms_update_the_user()
    {
        // entra-provisioning-service.md §5 "Update (multi-valued)" and "Update (single)"
        var (client, id) = await UserAsync();

        using var response = await client.PatchAsync($"Users/{id}", """
            [{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ann.smith@example.com"},
             {"op":"Replace","path":"name.familyName","value":"Smith"},
             {"op":"Replace","path":"name.givenName","value":"Ann"},
             {"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+47 555 0101"},
             {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"R&D"},
             {"op":"Replace","path":"userName","value":"ann.smith@example.com"}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = Emulator.State.FindUser(id)!;
        Assert.Equal("ann.smith@example.com", user.UserName);
        Assert.Equal(new AtlassianMultiValue("ann.smith@example.com", "work", true), Assert.Single(user.Emails));
        Assert.Equal("Smith", user.Attribute("name.familyName"));
        Assert.Equal("Ann", user.Attribute("name.givenName"));
        Assert.Equal(new AtlassianMultiValue("+47 555 0101", "mobile", true), Assert.Single(user.PhoneNumbers));
        Assert.Equal("R&D", user.Attribute(Department));
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("\"False\"", false)]
    [InlineData("\"false\"", false)]
    [InlineData("true", true)]
    [InlineData("\"True\"", true)]
    public async Task Active_is_accepted_as_a_boolean_or_as_the_strings_Entra_sends(string value, bool expected)
    {
        // entra-provisioning-service.md §5: disable is replace active false; without aadOptscim062020 the value is "False"
        var (client, id) = await UserAsync();
        Emulator.State.FindUser(id);
        await client.PatchAsync($"Users/{id}", $$"""[{"op":"Replace","path":"active","value":{{(expected ? "false" : "true")}}}]""");

        using var response = await client.PatchAsync($"Users/{id}", $$"""[{"op":"Replace","path":"active","value":{{value}}}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, Emulator.State.FindUser(id)!.Active);
        Assert.Equal(expected, (await (await client.GetAsync($"Users/{id}")).ReadObjectAsync())["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_pathless_replace_with_dotted_keys_and_extension_objects_sets_each_attribute()
    {
        // entra-provisioning-service.md §5 (aadOptscim062020): multiple replaces collapse into one pathless replace
        var (client, id) = await UserAsync();

        using var response = await client.PatchAsync($"Users/{id}", """
            [{"op":"replace","value":{
                "displayName":"Ann Smith",
                "name.givenName":"Ann",
                "name":{"familyName":"Smith"},
                "active":false,
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"R&D",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"organization":"Contoso"}}}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = Emulator.State.FindUser(id)!;
        Assert.Equal("Ann Smith", user.DisplayName);
        Assert.Equal("Ann", user.Attribute("name.givenName"));
        Assert.Equal("Smith", user.Attribute("name.familyName"));
        Assert.False(user.Active);
        Assert.Equal("R&D", user.Attribute(Department));
        Assert.Equal("Contoso", user.Attribute("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization"));
    }

    [Fact]
    public async Task The_operations_array_may_be_named_in_lower_case()
    {
        // atlassian-scim-api.md §9: the OpenAPI model names it "operations", the example "Operations"; accept both
        var (client, id) = await UserAsync();

        using var response = await client.PatchAsync($"Users/{id}", ScimHttp.Json(
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"operations":[{"op":"replace","path":"title","value":"Boss"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Boss", Emulator.State.FindUser(id)!.Attribute("title"));
    }

    [Fact]
    public async Task Remove_clears_an_attribute()
    {
        // RFC 7644 §3.5.2.2 as used by atlassian-scim-api.md §9
        var (client, id) = await UserAsync();
        await client.PatchAsync($"Users/{id}", """[{"op":"Add","path":"title","value":"Engineer"}]""");

        using var response = await client.PatchAsync($"Users/{id}", """[{"op":"Remove","path":"title"}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Emulator.State.FindUser(id)!.Attribute("title"));
    }

    [Fact]
    public async Task Adding_a_second_primary_email_demotes_the_first()
    {
        // atlassian-scim-api.md §4: exactly one email is primary
        var (client, id) = await UserAsync();

        using var response = await client.PatchAsync($"Users/{id}",
            """[{"op":"Add","path":"emails","value":[{"value":"ann.home@example.com","type":"home","primary":true}]}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = Emulator.State.FindUser(id)!;
        Assert.Equal(2, user.Emails.Count);
        Assert.Equal("ann.home@example.com", user.PrimaryEmail);
    }

    [Theory]
    [InlineData("""{"op":"Replace","path":"manager","value":"x"}""", "invalidPath")]
    [InlineData("""{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"1"}""", "invalidPath")]
    [InlineData("""{"op":"Replace","path":"emails[type eq \"work\"].display","value":"x"}""", "invalidPath")]
    [InlineData("""{"op":"Replace","path":"title[","value":"x"}""", "invalidPath")]
    [InlineData("""{"op":"Replace","path":"title","value":42}""", "invalidValue")]
    [InlineData("""{"op":"Replace","path":"active","value":"maybe"}""", "invalidValue")]
    [InlineData("""{"op":"Remove","path":"emails"}""", "invalidValue")]
    [InlineData("""{"op":"Remove","path":"userName"}""", "invalidValue")]
    [InlineData("""{"op":"Replace","path":"emails[type eq \"work\"].value","value":"not-an-email"}""", "invalidValue")]
    [InlineData("""{"op":"Copy","path":"title","value":"x"}""", "invalidSyntax")]
    [InlineData("""{"op":"Remove"}""", "noTarget")]
    [InlineData("""{"op":"Replace","value":"not an object"}""", "invalidValue")]
    [InlineData("""{"op":"Replace","path":"id","value":"new-id"}""", "mutability")]
    [InlineData("""{"op":"Replace","path":"urn:scim:schemas:extension:atlassian-external:1.0:atlassianAccountId","value":"x"}""", "mutability")]
    [InlineData("""{"op":"Replace","path":"emails[type eq \"home\"].primary","value":true}""", "noTarget")]
    public async Task Unsupported_or_invalid_operations_get_400_and_change_nothing(string operation, string scimType)
    {
        // atlassian-scim-api.md §10: ScimError scimType invalidPath/invalidValue/invalidSyntax/noTarget/mutability
        var (client, id) = await UserAsync();
        var before = Emulator.State.FindUser(id);

        // A valid operation first: the whole PATCH is refused, so it must not apply either.
        using var response = await client.PatchAsync($"Users/{id}", $$"""[{"op":"Replace","path":"displayName","value":"Changed"},{{operation}}]""");

        await response.AssertScimErrorAsync(400, scimType);
        var after = Emulator.State.FindUser(id)!;
        Assert.Null(after.DisplayName);
        Assert.Equal(before!.Emails, after.Emails);
    }

    [Fact]
    public async Task An_empty_operations_array_gets_400()
    {
        // atlassian-scim-api.md §9: a PatchOp body carries operations
        var (client, id) = await UserAsync();

        using var response = await client.PatchAsync($"Users/{id}", "[]");

        await response.AssertScimErrorAsync(400, "invalidSyntax");
    }

    [Fact]
    public async Task A_patch_body_without_the_PatchOp_schema_gets_400()
    {
        // atlassian-scim-api.md §9: the body is {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [...]}
        var (client, id) = await UserAsync();

        using var response = await client.PatchAsync($"Users/{id}", ScimHttp.Json("""{"Operations":[{"op":"replace","path":"title","value":"x"}]}"""));

        await response.AssertScimErrorAsync(400, "invalidSyntax");
    }

    [Fact]
    public async Task Patching_an_unknown_user_gets_404()
    {
        // atlassian-scim-api.md §2: PATCH /Users/{userId} documents 404
        using var client = fixture.Fresh();

        using var response = await client.PatchAsync("Users/no-such-id", """[{"op":"Replace","path":"title","value":"x"}]""");

        await response.AssertScimErrorAsync(404, null);
    }
}
