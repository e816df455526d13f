using System.Net;
using System.Reflection;
using ScimSync.Admin;
using ScimSync.IntegrationTests.Admin;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// Every route of <c>scimsync run</c>'s admin server but the sign-in refuses a request without the admin key, with a
/// wrong one (as the header, as a bearer token, as a query parameter) and with a made-up session cookie, and does
/// nothing. The Functions app's routes are guarded by the Functions host's keys instead (FunctionMetadataTests).
/// </summary>
[Collection(AdminApiCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class AdminAccessTests(AdminApiFixture fixture)
{
    private const string WrongKey = "not-the-admin-key-0123456789abcdef";

    private static readonly (HttpMethod Method, string Route)[] Routes =
    [
        (HttpMethod.Get, AdminRoutes.Status),
        (HttpMethod.Get, AdminRoutes.Page),
        (HttpMethod.Get, AdminRoutes.Logs),
        (HttpMethod.Get, AdminRoutes.Plan),
        (HttpMethod.Post, AdminRoutes.Provision),
        (HttpMethod.Post, AdminRoutes.Pause),
        (HttpMethod.Post, AdminRoutes.Resume),
        (HttpMethod.Post, AdminRoutes.Restart),
        (HttpMethod.Post, AdminRoutes.AllowDeletes),
        (HttpMethod.Post, AdminRoutes.DismissDeletes),
        (HttpMethod.Post, AdminRoutes.Retry),
        (HttpMethod.Post, AdminRoutes.Audit),
    ];

    [Fact]
    public void Every_admin_route_is_checked_here()
    {
        var all = typeof(AdminRoutes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.Name is not (nameof(AdminRoutes.RunPrefix) or nameof(AdminRoutes.SignIn)))
            .Select(field => (string)field.GetRawConstantValue()!);

        Assert.Equal(all.Order(), Routes.Select(route => route.Route).Order());
    }

    [Fact]
    public async Task Every_admin_route_refuses_a_missing_or_wrong_key_and_does_nothing()
    {
        using var client = fixture.CreateClient(key: null, followRedirects: false);
        var before = (await fixture.JobStatusAsync()).GetProperty("status").GetString();
        var refusals = 0;

        foreach (var (method, route) in Routes)
        {
            var path = "api/scimsync/" + route.Replace("{job}", AdminRunFixture.JobId, StringComparison.Ordinal);
            var attempts = new (string What, HttpRequestMessage Request)[]
            {
                ("no key", Request(method, path)),
                ("no key, asking for HTML", Request(method, path, ("Accept", "text/html"))),
                ("a wrong key", Request(method, path, ("X-ScimSync-Admin-Key", WrongKey))),
                ("an empty key", Request(method, path, ("X-ScimSync-Admin-Key", " "))),
                ("a wrong bearer token", Request(method, path, ("Authorization", "Bearer " + WrongKey))),
                ("the key in the query", Request(method, path + "?key=" + AdminRunFixture.AdminKey + "&code=" + AdminRunFixture.AdminKey)),
                ("the key as a Basic credential", Request(method, path, ("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + AdminRunFixture.AdminKey))))),
                ("a made-up session", Request(method, path, ("Cookie", "scimsync_admin=" + WrongKey))),
            };
            foreach (var (what, request) in attempts)
            {
                using (request)
                using (var response = await client.SendAsync(request))
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with {what}: {(int)response.StatusCode}");
                    Assert.DoesNotContain(AdminRunFixture.AdminKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                    refusals++;
                }
            }
        }

        Assert.Equal(Routes.Length * 8, refusals);
        Assert.Equal(before, (await fixture.JobStatusAsync()).GetProperty("status").GetString());
        Assert.NotEqual("Paused", before);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = new FormUrlEncodedContent([KeyValuePair.Create("sourceId", "00000000-0000-0000-0000-000000000001"), KeyValuePair.Create("reason", "not allowed")]);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
