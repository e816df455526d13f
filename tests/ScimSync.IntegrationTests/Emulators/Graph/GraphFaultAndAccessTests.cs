using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Graph.Models.ODataErrors;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.Emulators.Graph;

/// <summary>Throttling in Graph's style (graph-delta.md §4), injected failures, and 401/403 answers.</summary>
public sealed class GraphFaultAndAccessTests
{
    [Fact]
    public async Task A_throttled_request_gets_429_with_an_integer_Retry_After_and_a_Graph_error_body()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small() });
        using var http = emulator.CreateClient();
        emulator.Faults.ThrottleNext(1, TimeSpan.FromSeconds(2.128), style: ThrottleHeaderStyle.RetryAfterSeconds);

        using var throttled = await http.GetAsync(new Uri(emulator.BaseUrl + "/users/delta"));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var retryAfter = throttled.Headers.GetValues("Retry-After").Single();
        Assert.Equal(3, int.Parse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture));
        using var body = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync());
        Assert.Equal("TooManyRequests", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, emulator.Counters.Count("GET /users/delta", RequestOutcome.Throttled));
    }

    [Fact]
    public async Task By_default_a_throttled_request_gets_a_decimal_Retry_After_and_the_throttle_scope_headers()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small() });
        using var http = emulator.CreateClient();
        emulator.Faults.ThrottleNext(1, TimeSpan.FromSeconds(2.128));

        using var throttled = await http.GetAsync(new Uri(emulator.BaseUrl + "/users/delta"));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("2.128", throttled.Headers.NonValidated["Retry-After"].ToString());
        Assert.StartsWith("Tenant_Application/ReadWrite/", throttled.Headers.GetValues("x-ms-throttle-scope").Single(), StringComparison.Ordinal);
        Assert.Equal("ResourceUnitLimitExceeded", throttled.Headers.GetValues("x-ms-throttle-information").Single());
    }

    [Fact]
    public async Task The_SDK_retries_through_a_throttled_delta_page_and_sees_every_user()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small(), UserPageSize = 2 });
        using var client = GraphSdk.Client(emulator);
        var first = await client.Users.Delta.GetAsDeltaGetResponseAsync();

        emulator.Faults.ThrottleNext(1, TimeSpan.FromSeconds(1));
        emulator.Faults.FailNext(1, 503);
        var round = await GraphDeltaTests.ReadUsersAsync(client, first);

        Assert.Equal(5, round.Items.Count);
        Assert.Equal(1, emulator.Counters.Count(RequestOutcome.Throttled));
        Assert.Equal(1, emulator.Counters.Count(RequestOutcome.Failed));
        Assert.Equal(3 + 2, emulator.DeltaRequests(ObjectType.User));
    }

    [Fact]
    public async Task A_missing_or_wrong_token_gets_401_by_default_and_a_denied_permission_403()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small(), AccessToken = "secret" });
        using var http = new HttpClient();

        using var anonymous = await http.GetAsync(new Uri(emulator.BaseUrl + "/users/delta"));
        using var wrong = await Send(http, emulator.BaseUrl + "/users/delta", "other");
        using var right = await Send(http, emulator.BaseUrl + "/users/delta", "secret");
        emulator.Controls.DeniedPermission = "GroupMember.Read.All";
        using var denied = await Send(http, emulator.BaseUrl + "/groups/delta", "secret");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        using var body = JsonDocument.Parse(await denied.Content.ReadAsStringAsync());
        Assert.Equal("Authorization_RequestDenied", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Insufficient privileges to complete the operation.", body.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_denied_permission_refuses_only_the_requests_that_need_it()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small() });
        using var http = emulator.CreateClient();
        emulator.Controls.DeniedPermission = "User.Read.All";

        using var users = await http.GetAsync(new Uri(emulator.BaseUrl + "/users/delta"));
        using var groups = await http.GetAsync(new Uri(emulator.BaseUrl + "/groups/delta"));
        using var assignments = await http.GetAsync(new Uri($"{emulator.BaseUrl}/servicePrincipals/{emulator.Tenant.ServicePrincipal.Id}/appRoleAssignedTo"));

        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        Assert.Equal(HttpStatusCode.OK, groups.StatusCode);
        Assert.Equal(HttpStatusCode.OK, assignments.StatusCode);
    }

    [Fact]
    public async Task Anonymous_access_is_let_in_only_when_the_test_asks_for_it_and_a_wrong_token_is_still_refused()
    {
        await using var open = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small(), AllowAnonymous = true });
        await using var closed = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small() });
        using var http = new HttpClient();

        using var allowed = await http.GetAsync(new Uri(open.BaseUrl + "/users/delta"));
        using var wrong = await Send(http, open.BaseUrl + "/users/delta", "not-the-token");
        using var refused = await http.GetAsync(new Uri(closed.BaseUrl + "/users/delta"));
        using var random = await Send(http, closed.BaseUrl + "/users/delta", closed.AccessToken);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, random.StatusCode);
    }

    [Fact]
    public async Task The_SDK_surfaces_a_denied_permission_as_an_ODataError()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small() });
        using var client = GraphSdk.Client(emulator);
        emulator.Controls.DeniedPermission = "User.Read.All";

        var error = await Assert.ThrowsAsync<ODataError>(() => client.Users.Delta.GetAsDeltaGetResponseAsync());

        Assert.Equal(403, error.ResponseStatusCode);
        Assert.Equal("Authorization_RequestDenied", error.Error!.Code);
    }

    [Fact]
    public async Task Every_spelling_of_the_delta_route_is_served()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small() });
        using var http = emulator.CreateClient();

        foreach (var collection in (string[])["users", "groups"])
        {
            foreach (var spelling in (string[])["delta", "delta()", "microsoft.graph.delta", "microsoft.graph.delta()"])
            {
                using var response = await http.GetAsync(new Uri($"{emulator.BaseUrl}/{collection}/{spelling}"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.StartsWith(emulator.BaseUrl + $"/{collection}/delta?$deltatoken=",
                    body.RootElement.GetProperty("@odata.deltaLink").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(4, emulator.DeltaRequests(ObjectType.User));
        Assert.Equal(4, emulator.DeltaRequests(ObjectType.Group));
    }

    [Fact]
    public async Task Unsupported_delta_query_options_are_refused_as_Graph_refuses_them()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small() });
        using var http = emulator.CreateClient();

        using var top = await http.GetAsync(new Uri(emulator.BaseUrl + "/users/delta?$top=5"));
        using var filter = await http.GetAsync(new Uri(emulator.BaseUrl + "/users/delta?$filter=startswith(displayName,'A')"));
        using var ids = await http.GetAsync(new Uri(emulator.BaseUrl + "/users/delta?$filter=id eq '" + emulator.Snapshot().Users[0].Id + "'"));

        Assert.Equal(HttpStatusCode.BadRequest, top.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, filter.StatusCode);
        Assert.Contains("Request_UnsupportedQuery", await filter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await ids.Content.ReadAsStringAsync());
        Assert.Equal(1, body.RootElement.GetProperty("value").GetArrayLength());
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, string url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static DirectorySeed Small()
    {
        var builder = new DirectorySeedBuilder();
        builder.AddGroup("Team", builder.AddUsers(5));
        return builder.Build();
    }
}
