using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ScimSync.IntegrationTests.Admin;

[Collection(AdminApiCollection.Name)]
public sealed partial class AdminApiTests(AdminApiFixture fixture)
{
    private const string Job = AdminRunFixture.JobId;

    [Fact]
    public async Task A_request_without_the_admin_key_is_refused_and_changes_nothing()
    {
        using var anonymous = fixture.CreateClient(key: null);
        using var wrong = fixture.CreateClient(key: "not-the-admin-key-0123456789");

        var status = await anonymous.GetAsync("api/admin/status");
        var wrongKey = await wrong.GetAsync("api/admin/status");
        var pause = await anonymous.PostAsync($"api/admin/jobs/{Job}/pause", null);
        var bearer = new HttpRequestMessage(HttpMethod.Post, $"api/admin/jobs/{Job}/pause") { Headers = { { "Authorization", "Bearer not-the-admin-key-0123456789" } } };
        var pauseWithWrongBearer = await anonymous.SendAsync(bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        Assert.Contains("X-ScimSync-Admin-Key", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, pause.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, pauseWithWrongBearer.StatusCode);
        Assert.NotEqual("Paused", (await fixture.JobStatusAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_browser_without_a_session_gets_the_sign_in_form_with_401()
    {
        using var browser = fixture.CreateClient(key: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/admin/page") { Headers = { { "Accept", "text/html" } } };

        var response = await browser.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("<label for=\"key\">Admin key", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/api/admin/sign-in\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminRunFixture.AdminKey, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_browser_may_post_only_with_the_pages_form_token()
    {
        using var browser = fixture.CreateClient(key: null, followRedirects: false);

        var refused = await browser.PostAsync("api/admin/sign-in", Form(("key", "not-the-admin-key-0123456789")));
        var signedIn = await browser.PostAsync("api/admin/sign-in", Form(("key", AdminRunFixture.AdminKey)));
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        var session = cookie.Split(';')[0];
        using var page = new HttpRequestMessage(HttpMethod.Get, "api/admin/page") { Headers = { { "Cookie", session } } };
        var html = await (await browser.SendAsync(page)).Content.ReadAsStringAsync();
        var token = FormToken().Match(html).Groups[1].Value;
        using var withoutToken = new HttpRequestMessage(HttpMethod.Post, $"api/admin/jobs/{Job}/pause") { Headers = { { "Cookie", session } }, Content = Form() };
        var forged = await browser.SendAsync(withoutToken);
        using var withToken = new HttpRequestMessage(HttpMethod.Post, $"api/admin/jobs/{Job}/pause") { Headers = { { "Cookie", session } }, Content = Form(("formToken", token)) };
        var paused = await browser.SendAsync(withToken);
        var pausedStatus = (await fixture.JobStatusAsync()).GetProperty("status").GetString();
        using var resume = new HttpRequestMessage(HttpMethod.Post, $"api/admin/jobs/{Job}/resume") { Headers = { { "Cookie", session } }, Content = Form(("formToken", token)) };
        await browser.SendAsync(resume);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AdminRunFixture.AdminKey, cookie, StringComparison.Ordinal);
        Assert.NotEmpty(token);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, paused.StatusCode);
        Assert.Equal($"/api/admin/page?done=Pause&job={Job}&count=0", paused.Headers.Location?.ToString());
        Assert.Equal("Paused", pausedStatus);
        Assert.NotEqual("Paused", (await fixture.JobStatusAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Pause_and_resume_change_the_jobs_state_and_answer_with_what_they_did()
    {
        using var client = fixture.CreateClient();

        var pause = await client.PostAsync($"api/admin/jobs/{Job}/pause?reason=maintenance%20window", null);
        var paused = await fixture.JobStatusAsync();
        var resume = await client.PostAsync($"api/admin/jobs/{Job}/resume", null);
        var resumed = await fixture.JobStatusAsync();

        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        var result = await pause.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Pause", result.GetProperty("action").GetString());
        Assert.Equal("Paused", result.GetProperty("status").GetString());
        Assert.Equal("Paused", paused.GetProperty("status").GetString());
        Assert.Equal("maintenance window", paused.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.NotEqual("Paused", resumed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Restart_takes_entra_scopes_and_refuses_unknown_ones()
    {
        using var client = fixture.CreateClient();

        var restart = await client.PostAsync($"api/admin/jobs/{Job}/restart?scope=QuarantineState,Escrows", null);
        var unknown = await client.PostAsync($"api/admin/jobs/{Job}/restart?scope=Everything", null);

        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        Assert.Equal("Restart", (await restart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("action").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Watermark, Escrows, QuarantineState, Full", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_and_dismiss_with_nothing_held_release_nothing()
    {
        using var client = fixture.CreateClient();

        var allow = await client.PostAsync($"api/admin/jobs/{Job}/allow-deletes", null);
        var dismiss = await client.PostAsync($"api/admin/jobs/{Job}/dismiss-deletes", null);

        Assert.Equal(0, (await allow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("affected").GetInt32());
        Assert.Equal("DismissHeldDeletes", (await dismiss.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("action").GetString());
    }

    [Fact]
    public async Task An_unknown_job_is_not_found()
    {
        using var client = fixture.CreateClient();

        var pause = await client.PostAsync("api/admin/jobs/nobody/pause", null);
        var status = await client.GetAsync("api/admin/status?job=nobody");

        Assert.Equal(HttpStatusCode.NotFound, pause.StatusCode);
        Assert.Contains("nobody", await pause.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task Logs_are_filtered_like_entras_and_page_with_a_token()
    {
        await fixture.WaitForStatusAsync(AdminRunFixture.CycleFinished, TimeSpan.FromSeconds(120), "the first cycle to finish");
        using var client = fixture.CreateClient();

        var page = await client.GetFromJsonAsync<JsonElement>($"api/admin/logs?job={Job}&action=Create&status=Success&top=5");
        var next = await client.GetFromJsonAsync<JsonElement>(
            $"api/admin/logs?job={Job}&action=Create&status=Success&top=5&continuationToken={Uri.EscapeDataString(page.GetProperty("continuationToken").GetString()!)}");
        var invalid = await client.GetAsync($"api/admin/logs?job={Job}&status=Fine&since=yesterday");

        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(5, entries.Count);
        Assert.All(entries, entry => Assert.Equal("Create", entry.GetProperty("action").GetString()));
        Assert.All(entries, entry => Assert.Equal("Success", entry.GetProperty("status").GetString()));
        var nextIds = next.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("id").GetString()).ToList();
        Assert.Equal(5, nextIds.Count);
        Assert.Empty(nextIds.Intersect(entries.Select(entry => entry.GetProperty("id").GetString())));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("status: one of Success, Failure, Skipped, Warning", problem, StringComparison.Ordinal);
        Assert.Contains("since: an ISO 8601 time", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_reports_the_job_as_json_and_the_page_as_html()
    {
        using var client = fixture.CreateClient();

        var status = await client.GetFromJsonAsync<JsonElement>("api/admin/status");
        var page = await client.GetAsync("api/admin/page");

        var job = Assert.Single(status.GetProperty("jobs").EnumerateArray());
        Assert.Equal(Job, job.GetProperty("job").GetString());
        Assert.Equal("HR to Atlassian", job.GetProperty("displayName").GetString());
        Assert.True(status.GetProperty("queuedMessages").GetInt32() >= 0);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType?.ToString());
        Assert.Contains("default-src 'none'", string.Join(" ", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"job-hr-title\">HR to Atlassian", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value)));

    [GeneratedRegex("name=\"formToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
