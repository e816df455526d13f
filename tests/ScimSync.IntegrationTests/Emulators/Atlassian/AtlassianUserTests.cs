using System.Net;
using System.Text.Json.Nodes;
using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

public sealed class AtlassianUserTests(AtlassianEmulatorFixture fixture) : IClassFixture<AtlassianEmulatorFixture>
{
    private AtlassianScimEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task Creating_a_user_answers_201_with_Atlassians_resource_shape()
    {
        // atlassian-scim-api.md §2 (POST 201) and §4 (schemas, meta, atlassian-external extension, active default true)
        using var client = fixture.Fresh();

        using var response = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com", externalId: "obj-1")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = await response.ReadObjectAsync();
        var id = user.Id();
        Assert.Equal(
            ["urn:scim:schemas:extension:atlassian-external:1.0", ScimHttp.UserSchema, ScimHttp.EnterpriseSchema],
            user["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("ann@example.com", user.Text("userName"));
        Assert.Equal("obj-1", user.Text("externalId"));
        Assert.True(user["active"]!.GetValue<bool>());
        Assert.Equal("User", user["meta"].Text("resourceType"));
        Assert.Equal($"{Emulator.BaseUrl}/Users/{id}", user["meta"].Text("location"));
        Assert.Equal(user["meta"].Text("location"), response.Headers.Location?.ToString());
        Assert.True(DateTimeOffset.TryParse(user["meta"].Text("created"), out _));
        Assert.True(DateTimeOffset.TryParse(user["meta"].Text("lastModified"), out _));
        Assert.Empty(user["groups"]!.AsArray());
        var accountId = user["urn:scim:schemas:extension:atlassian-external:1.0"].Text("atlassianAccountId");
        Assert.Matches("^[0-9a-f]{24}$", accountId);
        Assert.Equal(accountId, Emulator.State.FindUser(id)!.AtlassianAccountId);
    }

    [Fact]
    public async Task A_created_user_reads_back_with_200_and_every_supported_attribute_sent()
    {
        // atlassian-scim-api.md §4: core attributes and the enterprise extension
        using var client = fixture.Fresh();
        var body = ScimHttp.UserBody("bob@example.com");
        body["name"] = new JsonObject { ["givenName"] = "Bob", ["familyName"] = "Lee", ["formatted"] = "Bob Lee" };
        body["displayName"] = "Bob Lee";
        body["title"] = "Engineer";
        body["timezone"] = "Europe/Oslo";
        body["active"] = false;
        body["phoneNumbers"] = new JsonArray(new JsonObject { ["value"] = "+47 555", ["type"] = "mobile" });
        body[ScimHttp.EnterpriseSchema] = new JsonObject { ["department"] = "R&D", ["employeeNumber"] = "42" };
        body["roles"] = new JsonArray();
        body["name"]!["pronunciation"] = "bob";
        body["meta"] = new JsonObject { ["resourceType"] = "User" };
        var id = (await (await client.PostAsync("Users", ScimHttp.Json(body))).ReadObjectAsync()).Id();

        using var response = await client.GetAsync($"Users/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await response.ReadObjectAsync();
        Assert.Equal("Bob", user["name"].Text("givenName"));
        Assert.Equal("Lee", user["name"].Text("familyName"));
        Assert.Equal("Bob Lee", user.Text("displayName"));
        Assert.Equal("Engineer", user.Text("title"));
        Assert.Equal("Europe/Oslo", user.Text("timezone"));
        Assert.False(user["active"]!.GetValue<bool>());
        Assert.Equal("+47 555", user["phoneNumbers"]![0].Text("value"));
        Assert.Equal("R&D", user[ScimHttp.EnterpriseSchema].Text("department"));
        Assert.Null(user[ScimHttp.EnterpriseSchema]!["employeeNumber"]);
        Assert.Null(user["roles"]);
    }

    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"emails":[{"value":"a@example.com","primary":true}]}""", "invalidValue")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com"}""", "invalidValue")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","emails":[{"value":"a@example.com","type":"work"}]}""", "invalidValue")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","emails":[{"value":"a@example.com","primary":true},{"value":"b@example.com","primary":true}]}""", "invalidValue")]
    [InlineData("""{"userName":"a@example.com","emails":[{"value":"a@example.com","primary":true}]}""", "invalidSyntax")]
    public async Task A_user_without_userName_emails_one_primary_email_or_schemas_is_refused(string body, string scimType)
    {
        // atlassian-scim-api.md §4: userName, emails (one primary) and schemas are required
        using var client = fixture.Fresh();

        using var response = await client.PostAsync("Users", ScimHttp.Json(body));

        await response.AssertScimErrorAsync(400, scimType);
        Assert.Empty(Emulator.State.Users);
    }

    [Fact]
    public async Task A_duplicate_userName_gets_409_uniqueness()
    {
        // atlassian-scim-api.md §2 (POST 409 "User already exists") and §5 (the uniqueness body)
        using var client = fixture.Fresh();
        await client.CreateUserAsync("ann@example.com");

        using var response = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ANN@example.com", email: "other@example.com")));

        var error = await response.AssertScimErrorAsync(409, "uniqueness");
        Assert.Contains("ANN@example.com", error.Text("detail"), StringComparison.Ordinal);
        Assert.Single(Emulator.State.Users);
    }

    [Fact]
    public async Task An_email_owned_by_another_user_gets_409_on_create()
    {
        // atlassian-scim-api.md §5: "Resource [USER]: with email[...] already exists."
        using var client = fixture.Fresh();
        await client.CreateUserAsync("ann@example.com");

        using var response = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann2", email: "Ann@Example.com")));

        var error = await response.AssertScimErrorAsync(409, "uniqueness");
        Assert.Equal("Resource [USER]: with email[Ann@Example.com] already exists.", error.Text("detail"));
    }

    [Fact]
    public async Task An_email_owned_by_another_user_gets_409_on_patch_and_put()
    {
        // atlassian-scim-api.md §5: a create OR update pointing at another account's email fails with 409
        using var client = fixture.Fresh();
        await client.CreateUserAsync("ann@example.com");
        var bob = (await client.CreateUserAsync("bob@example.com")).Id();

        using var patch = await client.PatchAsync($"Users/{bob}",
            """[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ann@example.com"}]""");
        using var put = await client.PutAsync($"Users/{bob}", ScimHttp.Json(ScimHttp.UserBody("bob@example.com", email: "ann@example.com")));
        using var userNamePatch = await client.PatchAsync($"Users/{bob}", """[{"op":"Replace","path":"userName","value":"ann@example.com"}]""");

        await patch.AssertScimErrorAsync(409, "uniqueness");
        await put.AssertScimErrorAsync(409, "uniqueness");
        await userNamePatch.AssertScimErrorAsync(409, "uniqueness");
        Assert.Equal("bob@example.com", Emulator.State.FindUser(bob)!.PrimaryEmail);
        Assert.Equal("bob@example.com", Emulator.State.FindUser(bob)!.UserName);
    }

    [Fact]
    public async Task Delete_answers_204_and_then_the_id_is_gone()
    {
        // atlassian-scim-api.md §6: DELETE deactivates and unlinks; any later call on the id returns 404
        using var client = fixture.Fresh();
        var id = (await client.CreateUserAsync("ann@example.com")).Id();

        using var delete = await client.DeleteAsync($"Users/{id}");
        using var get = await client.GetAsync($"Users/{id}");
        using var patch = await client.PatchAsync($"Users/{id}", """[{"op":"Replace","path":"active","value":true}]""");
        using var put = await client.PutAsync($"Users/{id}", ScimHttp.Json(ScimHttp.UserBody("ann@example.com")));
        using var deleteAgain = await client.DeleteAsync($"Users/{id}");
        using var list = await client.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"ann@example.com\""));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await get.AssertScimErrorAsync(404, null);
        await patch.AssertScimErrorAsync(404, null);
        await put.AssertScimErrorAsync(404, null);
        await deleteAgain.AssertScimErrorAsync(404, null);
        Assert.Equal(0, (await list.ReadObjectAsync())["totalResults"]!.GetValue<int>());
        var stored = Emulator.State.FindUser(id)!;
        Assert.True(stored.IsDeleted);
        Assert.False(stored.Active);
    }

    [Fact]
    public async Task Posting_the_same_user_after_delete_creates_a_new_id_linked_to_the_same_account()
    {
        // atlassian-scim-api.md §6: unavailable "until created with a new userId"; the account link survives
        using var client = fixture.Fresh();
        var first = await client.CreateUserAsync("ann@example.com");
        await client.DeleteAsync($"Users/{first.Id()}");

        var second = await client.CreateUserAsync("ann@example.com");

        Assert.NotEqual(first.Id(), second.Id());
        const string extension = "urn:scim:schemas:extension:atlassian-external:1.0";
        Assert.Equal(first[extension].Text("atlassianAccountId"), second[extension].Text("atlassianAccountId"));
        Assert.Equal(2, Emulator.State.Users.Count);
        Assert.Single(Emulator.State.LiveUsers);
    }

    [Fact]
    public async Task A_new_user_with_the_email_of_an_existing_account_is_linked_to_it()
    {
        // atlassian-scim-api.md §5: if a managed account exists for the email, the SCIM user is linked to it
        using var client = fixture.Fresh();
        var accountId = Emulator.State.SeedAccount("ann@example.com", "5b10ac8d82e05b22cc7d4ef5");

        var user = await client.CreateUserAsync("ann", email: "ann@example.com");

        Assert.Equal(accountId, user["urn:scim:schemas:extension:atlassian-external:1.0"].Text("atlassianAccountId"));
    }

    [Fact]
    public async Task Put_replaces_the_user_cleaning_unspecified_attributes_and_keeping_read_only_ones()
    {
        // atlassian-scim-api.md §2: PUT cleans unspecified attributes; immutable and read-only ones are kept
        using var client = fixture.Fresh();
        var body = ScimHttp.UserBody("ann@example.com", externalId: "obj-1");
        body["title"] = "Engineer";
        body["displayName"] = "Ann";
        var created = await (await client.PostAsync("Users", ScimHttp.Json(body))).ReadObjectAsync();
        var replacement = ScimHttp.UserBody("ann@example.com", email: "ann.new@example.com");
        replacement["displayName"] = "Ann Smith";
        replacement["id"] = "an-id-the-client-made-up";

        using var response = await client.PutAsync($"Users/{created.Id()}", ScimHttp.Json(replacement));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await response.ReadObjectAsync();
        Assert.Equal(created.Id(), user.Id());
        Assert.Equal("Ann Smith", user.Text("displayName"));
        Assert.Null(user["title"]);
        Assert.Null(user["externalId"]);
        Assert.Equal("ann.new@example.com", user["emails"]![0].Text("value"));
        Assert.Equal(created["meta"].Text("created"), user["meta"].Text("created"));
        Assert.Equal(
            created["urn:scim:schemas:extension:atlassian-external:1.0"].Text("atlassianAccountId"),
            user["urn:scim:schemas:extension:atlassian-external:1.0"].Text("atlassianAccountId"));
    }

    [Fact]
    public async Task A_user_lists_the_groups_it_belongs_to()
    {
        // atlassian-scim-api.md §4: groups[] {type, value, display, $ref} is part of the user resource
        using var client = fixture.Fresh();
        var user = (await client.CreateUserAsync("ann@example.com")).Id();
        var group = (await client.CreateGroupAsync("Engineering")).Id();
        await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Add","path":"members","value":[{"value":"{{user}}"}]}]""");

        var read = await (await client.GetAsync($"Users/{user}")).ReadObjectAsync();

        var membership = Assert.Single(read["groups"]!.AsArray());
        Assert.Equal(group, membership.Text("value"));
        Assert.Equal("Engineering", membership.Text("display"));
    }

    [Fact]
    public async Task Concurrent_creates_of_the_same_user_leave_one_record_and_409_the_rest()
    {
        // atlassian-scim-api.md §4: "Atlassian SCIM service will verify the value and guarantee its uniqueness"
        using var client = fixture.Fresh();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com")))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Single(Emulator.State.Users);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
