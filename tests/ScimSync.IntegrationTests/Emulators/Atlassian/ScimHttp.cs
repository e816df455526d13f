using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

/// <summary>Plain HttpClient helpers for talking SCIM to the emulator, independent of ScimSync's own client.</summary>
internal static class ScimHttp
{
    public const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string EnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    public static StringContent Json(string json, string mediaType = "application/scim+json") =>
        new(json, Encoding.UTF8, mediaType);

    public static StringContent Json(JsonNode json) => Json(json.ToJsonString());

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, string uri, string operationsJson) =>
        client.PatchAsync(uri, Json($$"""{"schemas":["{{PatchSchema}}"],"Operations":{{operationsJson}}}"""));

    public static JsonObject UserBody(string userName, string? email = null, string? externalId = null) => new()
    {
        ["schemas"] = new JsonArray(UserSchema, EnterpriseSchema),
        ["userName"] = userName,
        ["externalId"] = externalId,
        ["emails"] = new JsonArray(new JsonObject { ["value"] = email ?? userName, ["type"] = "work", ["primary"] = true }),
    };

    public static async Task<JsonObject> CreateUserAsync(this HttpClient client, string userName, string? email = null, string? externalId = null)
    {
        using var response = await client.PostAsync("Users", Json(UserBody(userName, email, externalId)));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    public static async Task<JsonObject> CreateGroupAsync(this HttpClient client, string displayName, string? externalId = null)
    {
        using var response = await client.PostAsync("Groups", Json(new JsonObject
        {
            ["schemas"] = new JsonArray(GroupSchema),
            ["displayName"] = displayName,
            ["externalId"] = externalId,
        }));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    public static string Id(this JsonObject resource) => resource["id"]!.GetValue<string>();

    public static string? Text(this JsonNode? node, string name) => node?[name]?.GetValue<string>();

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;

    /// <summary>Asserts a SCIM error body (atlassian-scim-api.md §10) and returns it.</summary>
    public static async Task<JsonObject> AssertScimErrorAsync(this HttpResponseMessage response, int status, string? scimType)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body["schemas"]![0]!.GetValue<string>());
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), body.Text("status"));
        Assert.Equal(scimType, body.Text("scimType"));
        Assert.False(string.IsNullOrWhiteSpace(body.Text("detail")));
        return body;
    }
}
