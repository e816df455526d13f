using System.Net;
using System.Text.Json.Nodes;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

/// <summary>
/// Replays the SCIM requests the Entra provisioning service documents (entra-provisioning-service.md §5), in order,
/// byte for byte where the doc gives the body, and checks the answers Atlassian documents (atlassian-scim-api.md).
/// </summary>
public sealed class AtlassianEntraReplayTests
{
    private static string Filter(string filter) => "filter=" + Uri.EscapeDataString(filter);

    [Fact]
    public async Task The_documented_Entra_request_sequence_gets_the_documented_answers()
    {
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();

        // Test Connection: GET /Users?filter=<matchingAttr> eq "<random GUID>" expects 200 and an empty ListResponse.
        using (var test = await client.GetAsync("Users?" + Filter($"userName eq \"{Guid.NewGuid()}\"")))
        {
            Assert.Equal(HttpStatusCode.OK, test.StatusCode);
            Assert.Equal("application/scim+json", test.Content.Headers.ContentType?.MediaType);
            var list = await test.ReadObjectAsync();
            Assert.Equal(0, list["totalResults"]!.GetValue<int>());
            Assert.Empty(list["Resources"]!.AsArray());
        }

        // Schema discovery when the configuration is saved.
        using (var schemas = await client.GetAsync("Schemas"))
        {
            Assert.Equal(HttpStatusCode.OK, schemas.StatusCode);
        }

        // Match: no user yet.
        using (var match = await client.GetAsync("Users?" + Filter("userName eq \"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081@example.com\"")))
        {
            Assert.Equal(0, (await match.ReadObjectAsync())["totalResults"]!.GetValue<int>());
        }

        // Create: the body Entra documents → 201 with an id.
        string userId;
        using (var create = await client.PostAsync("Users", ScimHttp.Json("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
             "userName":"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081@example.com",
             "active":true,
             "emails":[{"primary":true,"type":"work","value":"Test_User_11bb6d2e-6ecd-4d73-8de4-7ec6d4b80d49@example.com"}],
             "meta":{"resourceType":"User"},
             "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
             "roles":[]}
            """)))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            userId = (await create.ReadObjectAsync()).Id();
        }

        // Match again: exactly one.
        using (var match = await client.GetAsync("Users?" + Filter("userName eq \"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081@example.com\"")))
        {
            var list = await match.ReadObjectAsync();
            Assert.Equal(1, list["totalResults"]!.GetValue<int>());
            Assert.Equal(userId, list["Resources"]![0]!.AsObject().Id());
        }

        // Read by id: 200; an unknown id: 404 with a SCIM error.
        using (var read = await client.GetAsync($"Users/{userId}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var missing = await client.GetAsync("Users/5171a35d82074e068ce2"))
        {
            await missing.AssertScimErrorAsync(404, null);
        }

        // Update (multi-valued), then (single), then the aadOptscim062020 pathless form: Atlassian answers 200 with the user.
        using (var multi = await client.PatchAsync($"Users/{userId}", """
            [{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"},
             {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}]
            """))
        {
            Assert.Equal(HttpStatusCode.OK, multi.StatusCode);
            var updated = await multi.ReadObjectAsync();
            Assert.Equal("updatedEmail@microsoft.com", updated["emails"]![0].Text("value"));
            Assert.Equal("updatedFamilyName", updated["name"].Text("familyName"));
        }

        using (var single = await client.PatchAsync($"Users/{userId}", """[{"op":"Replace","path":"userName","value":"5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}]"""))
        {
            Assert.Equal("5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com", (await single.ReadObjectAsync()).Text("userName"));
        }

        using (var pathless = await client.PatchAsync($"Users/{userId}", """
            [{"op":"replace","value":{"displayName":"Ann Smith","name.givenName":"Ann",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"R&D"}}]
            """))
        {
            Assert.Equal(HttpStatusCode.OK, pathless.StatusCode);
        }

        // Groups: match (members excluded), create with Entra's two schemas and no members, read.
        using (var match = await client.GetAsync("Groups?excludedAttributes=members&" + Filter("displayName eq \"Group1DisplayName\"")))
        {
            Assert.Equal(0, (await match.ReadObjectAsync())["totalResults"]!.GetValue<int>());
        }

        string groupId;
        using (var create = await client.PostAsync("Groups", ScimHttp.Json("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
             "externalId":"8aa1a0c0-c4c3-4bc0-a4a5-2ef676900159","displayName":"Group1DisplayName","meta":{"resourceType":"Group"}}
            """)))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            groupId = (await create.ReadObjectAsync()).Id();
        }

        using (var read = await client.GetAsync($"Groups/{groupId}?excludedAttributes=members"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        // Add members, remove members (value array), add again and remove with aadOptscim062020's filtered path.
        // Entra's doc asks for 204; Atlassian answers 200 with the full group (atlassian-scim-api.md §2, §9).
        using (var add = await client.PatchAsync($"Groups/{groupId}", $$"""[{"op":"Add","path":"members","value":[{"$ref":null,"value":"{{userId}}"}]}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
            Assert.Equal([userId], emulator.State.FindGroup(groupId)!.Members);
        }

        using (var remove = await client.PatchAsync($"Groups/{groupId}", $$"""[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"{{userId}}"}]}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, remove.StatusCode);
            Assert.Empty(emulator.State.FindGroup(groupId)!.Members);
        }

        await client.PatchAsync($"Groups/{groupId}", $$"""[{"op":"add","path":"members","value":[{"value":"{{userId}}"}]}]""");
        using (var remove = await client.PatchAsync($"Groups/{groupId}", $$"""[{"op":"remove","path":"members[value eq \"{{userId}}\"]"}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, remove.StatusCode);
            Assert.Empty(emulator.State.FindGroup(groupId)!.Members);
        }

        // Rename: Entra sends it, Atlassian refuses it (atlassian-scim-api.md §8).
        using (var rename = await client.PatchAsync($"Groups/{groupId}", """[{"op":"Replace","path":"displayName","value":"1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}]"""))
        {
            await rename.AssertScimErrorAsync(400, "mutability");
        }

        // Disable: the legacy string form, then the aadOptscim062020 boolean form.
        using (var disable = await client.PatchAsync($"Users/{userId}", """[{"op":"Replace","path":"active","value":"False"}]"""))
        {
            Assert.False((await disable.ReadObjectAsync())["active"]!.GetValue<bool>());
        }

        using (var disable = await client.PatchAsync($"Users/{userId}", """[{"op":"replace","path":"active","value":false}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        // A GET must return inactive users too.
        using (var read = await client.GetAsync($"Users/{userId}"))
        {
            Assert.False((await read.ReadObjectAsync())["active"]!.GetValue<bool>());
        }

        // Delete: 204 for both.
        using (var deleteUser = await client.DeleteAsync($"Users/{userId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleteUser.StatusCode);
        }

        using (var deleteGroup = await client.DeleteAsync($"Groups/{groupId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleteGroup.StatusCode);
        }

        var user = Assert.Single(emulator.State.Users);
        Assert.True(user.IsDeleted);
        Assert.Equal("Ann Smith", user.DisplayName);
        Assert.Equal("R&D", user.Attribute("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"));
        Assert.Empty(emulator.State.Groups);
        Assert.Equal(0, emulator.Counters.Count(RequestOutcome.Throttled) + emulator.Counters.Count(RequestOutcome.Failed));
    }
}
