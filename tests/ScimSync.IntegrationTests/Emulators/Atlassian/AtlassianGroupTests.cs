using System.Net;
using System.Text.Json.Nodes;
using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

public sealed class AtlassianGroupTests(AtlassianEmulatorFixture fixture) : IClassFixture<AtlassianEmulatorFixture>
{
    private AtlassianScimEmulator Emulator => fixture.Emulator;

    private static string Members(params string[] ids) =>
        "[" + string.Join(",", ids.Select(id => $$"""{"$ref":null,"value":"{{id}}"}""")) + "]";

    [Fact]
    public async Task Creating_a_group_answers_201_with_the_group()
    {
        // atlassian-scim-api.md §2 (POST /Groups 201) and §4 (group attributes); Entra's create body from entra-provisioning-service.md §5
        using var client = fixture.Fresh();

        using var response = await client.PostAsync("Groups", ScimHttp.Json("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
             "externalId":"8aa1a0c0-c4c3-4bc0-a4a5-2ef676900159","displayName":"Engineering","meta":{"resourceType":"Group"}}
            """));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var group = await response.ReadObjectAsync();
        Assert.Equal("Engineering", group.Text("displayName"));
        Assert.Equal("8aa1a0c0-c4c3-4bc0-a4a5-2ef676900159", group.Text("externalId"));
        Assert.Empty(group["members"]!.AsArray());
        Assert.Equal("Group", group["meta"].Text("resourceType"));
        Assert.Equal($"{Emulator.BaseUrl}/Groups/{group.Id()}", group["meta"].Text("location"));
        Assert.Equal("Engineering", Emulator.State.FindGroup(group.Id())!.DisplayName);
    }

    [Fact]
    public async Task A_group_name_that_exists_gets_409()
    {
        // atlassian-scim-api.md §2 and §5: 409 "A group with same name already exists"
        using var client = fixture.Fresh();
        await client.CreateGroupAsync("Engineering");

        using var response = await client.PostAsync("Groups", ScimHttp.Json(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"engineering"}"""));

        var error = await response.AssertScimErrorAsync(409, "uniqueness");
        Assert.Equal("A group with same name already exists", error.Text("detail"));
        Assert.Single(Emulator.State.Groups);
    }

    [Fact]
    public async Task Renaming_a_group_with_patch_or_put_is_refused()
    {
        // atlassian-scim-api.md §8: renaming a synced group is not supported
        using var client = fixture.Fresh();
        var id = (await client.CreateGroupAsync("Engineering")).Id();

        using var patch = await client.PatchAsync($"Groups/{id}", """[{"op":"Replace","path":"displayName","value":"Platform"}]""");
        using var pathless = await client.PatchAsync($"Groups/{id}", """[{"op":"replace","value":{"displayName":"Platform"}}]""");
        using var put = await client.PutAsync($"Groups/{id}", ScimHttp.Json(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Platform"}"""));
        using var sameName = await client.PatchAsync($"Groups/{id}", """[{"op":"Replace","path":"displayName","value":"Engineering"}]""");

        var error = await patch.AssertScimErrorAsync(400, "mutability");
        Assert.Contains("not supported", error.Text("detail"), StringComparison.Ordinal);
        await pathless.AssertScimErrorAsync(400, "mutability");
        await put.AssertScimErrorAsync(400, "mutability");
        Assert.Equal(HttpStatusCode.OK, sameName.StatusCode);
        Assert.Equal("Engineering", Emulator.State.FindGroup(id)!.DisplayName);
    }

    [Fact]
    public async Task Members_are_added_and_removed_in_every_form_Entra_sends()
    {
        // atlassian-scim-api.md §9 and entra-provisioning-service.md §5: add with a value array, remove with a value
        // array, and remove by members[value eq "id"] (aadOptscim062020)
        using var client = fixture.Fresh();
        var ann = (await client.CreateUserAsync("ann@example.com")).Id();
        var bob = (await client.CreateUserAsync("bob@example.com")).Id();
        var cid = (await client.CreateUserAsync("cid@example.com")).Id();
        var group = (await client.CreateGroupAsync("Engineering")).Id();

        using var add = await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Add","path":"members","value":{{Members(ann, bob, cid)}}}]""");
        var afterAdd = Emulator.State.FindGroup(group)!.Members;
        using var remove = await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Remove","path":"members","value":{{Members(ann)}}}]""");
        using var removeFiltered = await client.PatchAsync($"Groups/{group}", $$"""[{"op":"remove","path":"members[value eq \"{{bob}}\"]"}]""");

        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        Assert.Equal([ann, bob, cid], afterAdd);
        var body = await add.ReadObjectAsync();
        Assert.Equal([ann, bob, cid], body["members"]!.AsArray().Select(m => m.Text("value")));
        Assert.Equal("User", body["members"]![0].Text("type"));
        Assert.Equal(HttpStatusCode.OK, remove.StatusCode);
        Assert.Equal(HttpStatusCode.OK, removeFiltered.StatusCode);
        Assert.Equal([cid], Emulator.State.FindGroup(group)!.Members);
    }

    [Fact]
    public async Task Adding_a_member_that_is_already_there_changes_nothing()
    {
        // RFC 7644 §3.5.2.1: add of an existing value is not an error
        using var client = fixture.Fresh();
        var ann = (await client.CreateUserAsync("ann@example.com")).Id();
        var group = (await client.CreateGroupAsync("Engineering")).Id();
        await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Add","path":"members","value":{{Members(ann)}}}]""");

        using var again = await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Add","path":"members","value":{{Members(ann)}}}]""");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal([ann], Emulator.State.FindGroup(group)!.Members);
    }

    [Fact]
    public async Task Adding_a_member_that_does_not_exist_gets_404_with_patch_and_400_with_put()
    {
        // atlassian-scim-api.md §2: PATCH 404 "directory, group, or user does not exist"; PUT 400 "the users referenced
        // do not exist" as a BadRequestException body (§10)
        using var client = fixture.Fresh();
        var ann = (await client.CreateUserAsync("ann@example.com")).Id();
        var group = (await client.CreateGroupAsync("Engineering")).Id();

        using var patch = await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Add","path":"members","value":{{Members(ann, "no-such-user")}}}]""");
        using var put = await client.PutAsync($"Groups/{group}", ScimHttp.Json(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[{"value":"no-such-user"}]}"""));

        var patchError = await patch.AssertScimErrorAsync(404, null);
        Assert.Equal("directory, group, or user does not exist", patchError.Text("detail"));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var putError = await put.ReadObjectAsync();
        Assert.Equal("the users referenced do not exist", putError.Text("message"));
        Assert.Equal("BAD_REQUEST", putError.Text("responseStatus"));
        Assert.Empty(Emulator.State.FindGroup(group)!.Members);
    }

    [Fact]
    public async Task Put_replaces_the_members_of_a_group()
    {
        // atlassian-scim-api.md §2: PUT /Groups/{id} answers 200
        using var client = fixture.Fresh();
        var ann = (await client.CreateUserAsync("ann@example.com")).Id();
        var bob = (await client.CreateUserAsync("bob@example.com")).Id();
        var group = (await client.CreateGroupAsync("Engineering", externalId: "g-1")).Id();
        await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Add","path":"members","value":{{Members(ann)}}}]""");

        using var put = await client.PutAsync($"Groups/{group}", ScimHttp.Json($$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","externalId":"g-1","members":{{Members(bob)}}}
            """));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal([bob], Emulator.State.FindGroup(group)!.Members);
        Assert.Equal([bob], (await put.ReadObjectAsync())["members"]!.AsArray().Select(m => m.Text("value")));
    }

    [Fact]
    public async Task A_group_cannot_exceed_35000_members()
    {
        // atlassian-scim-api.md §12: 35,000 users per group
        using var client = fixture.Fresh();
        var members = new List<string>();
        for (var i = 0; i < 35_001; i++)
        {
            members.Add(Emulator.State.SeedUser(new AtlassianSeedUser { UserName = $"u{i}@example.com" }).Id);
        }

        var group = Emulator.State.SeedGroup(new AtlassianSeedGroup { DisplayName = "Everyone", Members = members[..35_000] });

        using var response = await client.PatchAsync($"Groups/{group.Id}", $$"""[{"op":"Add","path":"members","value":{{Members(members[35_000])}}}]""");

        var error = await response.AssertScimErrorAsync(400, "invalidValue");
        Assert.Contains("35000", error.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(35_000, Emulator.State.FindGroup(group.Id)!.Members.Count);
        Assert.Throws<ArgumentException>(() => Emulator.State.SeedGroup(new AtlassianSeedGroup { DisplayName = "Too many", Members = members }));
    }

    [Fact]
    public async Task Deleting_a_group_answers_204_and_then_404()
    {
        // atlassian-scim-api.md §2: DELETE /Groups/{id} 204; 404 for a non-existent group
        using var client = fixture.Fresh();
        var group = (await client.CreateGroupAsync("Engineering")).Id();

        using var delete = await client.DeleteAsync($"Groups/{group}");
        using var get = await client.GetAsync($"Groups/{group}");
        using var deleteAgain = await client.DeleteAsync($"Groups/{group}");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await get.AssertScimErrorAsync(404, null);
        await deleteAgain.AssertScimErrorAsync(404, null);
        Assert.Empty(Emulator.State.Groups);
    }

    [Fact]
    public async Task Deleting_a_user_removes_it_from_its_groups()
    {
        // atlassian-scim-api.md §6: DELETE unlinks the SCIM record, so it no longer counts as a member
        using var client = fixture.Fresh();
        var ann = (await client.CreateUserAsync("ann@example.com")).Id();
        var group = (await client.CreateGroupAsync("Engineering")).Id();
        await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Add","path":"members","value":{{Members(ann)}}}]""");

        await client.DeleteAsync($"Users/{ann}");

        var read = await (await client.GetAsync($"Groups/{group}")).ReadObjectAsync();
        Assert.Empty(read["members"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"op":"Replace","path":"description","value":"x"}""", 400, "invalidPath")]
    [InlineData("""{"op":"Replace","path":"members[value eq \"x\"]","value":{"value":"y"}}""", 400, "invalidPath")]
    [InlineData("""{"op":"Add","path":"members","value":"not-a-list"}""", 400, "invalidValue")]
    [InlineData("""{"op":"Remove","path":"displayName"}""", 400, "mutability")]
    public async Task Unsupported_group_operations_get_400(string operation, int status, string scimType)
    {
        // atlassian-scim-api.md §2 (PATCH /Groups "manage group membership") and §10
        using var client = fixture.Fresh();
        var group = (await client.CreateGroupAsync("Engineering")).Id();

        using var response = await client.PatchAsync($"Groups/{group}", $"[{operation}]");

        await response.AssertScimErrorAsync(status, scimType);
    }

    [Fact]
    public async Task Groups_list_with_paging()
    {
        // atlassian-scim-api.md §2-§3: GET /Groups with startIndex and count
        using var client = fixture.Fresh();
        for (var i = 0; i < 5; i++)
        {
            await client.CreateGroupAsync($"Group {i}");
        }

        var page = await (await client.GetAsync("Groups?startIndex=2&count=2")).ReadObjectAsync();

        Assert.Equal(5, page["totalResults"]!.GetValue<int>());
        Assert.Equal(["Group 1", "Group 2"], page["Resources"]!.AsArray().Select(g => g.Text("displayName")));
        Assert.IsType<JsonArray>(page["Resources"]);
    }
}
