using System.Net;
using System.Net.Http.Headers;
using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

public sealed class AtlassianAccessTests
{
    [Fact]
    public async Task A_request_without_a_key_gets_401_with_Atlassians_failure_body()
    {
        // atlassian-scim-api.md §1, §10: 401 bodies are {error, traceId}
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await client.GetAsync("Users");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal($"Not authorized to access : scim/directory/{emulator.DirectoryId}/Users", body.Text("error"));
        Assert.Matches("^[0-9a-f]{16}$", body.Text("traceId"));
    }

    [Fact]
    public async Task A_request_with_a_wrong_key_gets_401()
    {
        // atlassian-scim-api.md §1: only the directory API key is accepted
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { ApiKey = "right-key" });
        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key");

        using var response = await client.GetAsync("Users");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("right-key", emulator.ApiKey);
    }

    [Fact]
    public async Task A_request_to_another_directory_gets_404()
    {
        // atlassian-scim-api.md §1-§2: the directoryId is part of every path; an unknown one is a 404
        await using var emulator = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { DirectoryId = "dir-1" });
        using var client = emulator.CreateClient();

        using var response = await client.GetAsync(new Uri(emulator.BaseAddress, "/scim/directory/dir-2/Users"));

        await response.AssertScimErrorAsync(404, null);
        Assert.EndsWith("/scim/directory/dir-1", emulator.BaseUrl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/scim+json")]
    [InlineData("application/json")]
    public async Task Both_json_media_types_are_accepted_and_answers_are_scim_json(string mediaType)
    {
        // atlassian-scim-api.md §1: bodies may be application/json or application/scim+json
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();

        using var response = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com").ToJsonString(), mediaType));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/scim+json", response.ContentType()?.MediaType);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        // atlassian-scim-api.md §1: only the two JSON media types are documented
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();

        using var response = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com").ToJsonString(), "text/plain"));

        await response.AssertScimErrorAsync(415, null);
        Assert.Empty(emulator.State.Users);
    }

    [Theory]
    [InlineData("{\"userName\": ")]
    [InlineData("[]")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","USERNAME":"b@example.com","emails":[{"value":"a@example.com","primary":true}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","emails":[{"value":"a@example.com","VALUE":"b@example.com","primary":true}]}""")]
    public async Task A_body_that_is_not_a_valid_json_object_gets_400_invalidSyntax(string body)
    {
        // atlassian-scim-api.md §10: ScimError with scimType invalidSyntax; SCIM attribute names ignore case (RFC 7643 §2.1),
        // so an attribute repeated in another case is ambiguous
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();

        using var response = await client.PostAsync("Users", ScimHttp.Json(body));

        await response.AssertScimErrorAsync(400, "invalidSyntax");
        Assert.Empty(emulator.State.Users);
    }
}
