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
    [Trait("Category", "Reliability")]
    public async Task A_request_without_the_admin_key_is_refused_and_changes_nothing()
    {
        using var anonymous = fixture.CreateClient(key: null);
        using var wrong = fixture.CreateClient(key: "not-the-admin-key-0123456789");

        var status = await anonymous.GetAsync("api/scimsync/admin/status");
        var wrongKey = await wrong.GetAsync("api/scimsync/admin/status");
        var pause = await anonymous.PostAsync($"api/scimsync/admin/jobs/{Job}/pause", null);
        var bearer = new HttpRequestMessage(HttpMethod.Post, $"api/scimsync/admin/jobs/{Job}/pause") { Headers = { { "Authorization", "Bearer not-the-admin-key-0123456789" } } };
        var pauseWithWrongBearer = await anonymous.SendAsync(bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        Assert.Contains("X-ScimSync-Admin-Key", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, pause.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, pauseWithWrongBearer.StatusCode);
        Assert.NotEqual("Paused", (await fixture.JobStatusAsync()).GetProperty("status").GetString());
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task A_browser_without_a_session_gets_the_sign_in_form_with_401()
    {
        using var browser = fixture.CreateClient(key: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/scimsync/admin/page") { Headers = { { "Accept", "text/html" } } };

        var response = await browser.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("<label for=\"key\">Admin key", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/api/scimsync/admin/sign-in\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminRunFixture.AdminKey, html, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task A_signed_in_browser_may_post_only_with_the_pages_form_token()
    {
        using var browser = fixture.CreateClient(key: null, followRedirects: false);

        var refused = await browser.PostAsync("api/scimsync/admin/sign-in", Form(("key", "not-the-admin-key-0123456789")));
        var signedIn = await browser.PostAsync("api/scimsync/admin/sign-in", Form(("key", AdminRunFixture.AdminKey)));
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        var session = cookie.Split(';')[0];
        using var page = new HttpRequestMessage(HttpMethod.Get, "api/scimsync/admin/page") { Headers = { { "Cookie", session } } };
        var html = await (await browser.SendAsync(page)).Content.ReadAsStringAsync();
        var token = FormToken().Match(html).Groups[1].Value;
        using var withoutToken = new HttpRequestMessage(HttpMethod.Post, $"api/scimsync/admin/jobs/{Job}/pause") { Headers = { { "Cookie", session } }, Content = Form() };
        var forged = await browser.SendAsync(withoutToken);
        using var withToken = new HttpRequestMessage(HttpMethod.Post, $"api/scimsync/admin/jobs/{Job}/pause") { Headers = { { "Cookie", session } }, Content = Form(("formToken", token)) };
        var paused = await browser.SendAsync(withToken);
        var pausedStatus = (await fixture.JobStatusAsync()).GetProperty("status").GetString();
        using var resume = new HttpRequestMessage(HttpMethod.Post, $"api/scimsync/admin/jobs/{Job}/resume") { Headers = { { "Cookie", session } }, Content = Form(("formToken", token)) };
        await browser.SendAsync(resume);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AdminRunFixture.AdminKey, cookie, StringComparison.Ordinal);
        Assert.NotEmpty(token);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, paused.StatusCode);
        Assert.Equal($"/api/scimsync/admin/page?done=Pause&job={Job}&count=0", paused.Headers.Location?.ToString());
        Assert.Equal("Paused", pausedStatus);
        Assert.NotEqual("Paused", (await fixture.JobStatusAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Pause_and_resume_change_the_jobs_state_and_answer_with_what_they_did()
    {
        using var client = fixture.CreateClient();

        var pause = await client.PostAsync($"api/scimsync/admin/jobs/{Job}/pause?reason=maintenance%20window", null);
        var paused = await fixture.JobStatusAsync();
        var resume = await client.PostAsync($"api/scimsync/admin/jobs/{Job}/resume", null);
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

        var restart = await client.PostAsync($"api/scimsync/admin/jobs/{Job}/restart?scope=QuarantineState,Escrows", null);
        var unknown = await client.PostAsync($"api/scimsync/admin/jobs/{Job}/restart?scope=Everything", null);

        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        Assert.Equal("Restart", (await restart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("action").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Watermark, Escrows, QuarantineState, Full", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_and_dismiss_with_nothing_held_release_nothing()
    {
        using var client = fixture.CreateClient();

        var allow = await client.PostAsync($"api/scimsync/admin/jobs/{Job}/allow-deletes", null);
        var dismiss = await client.PostAsync($"api/scimsync/admin/jobs/{Job}/dismiss-deletes", null);

        Assert.Equal(0, (await allow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("affected").GetInt32());
        Assert.Equal("DismissHeldDeletes", (await dismiss.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("action").GetString());
    }

    [Fact]
    public async Task An_unknown_job_is_not_found()
    {
        using var client = fixture.CreateClient();

        var pause = await client.PostAsync("api/scimsync/admin/jobs/nobody/pause", null);
        var status = await client.GetAsync("api/scimsync/admin/status?job=nobody");

        Assert.Equal(HttpStatusCode.NotFound, pause.StatusCode);
        Assert.Contains("nobody", await pause.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task Logs_are_filtered_like_entras_and_page_with_a_token()
    {
        await fixture.WaitForStatusAsync(AdminRunFixture.CycleFinished, TimeSpan.FromSeconds(120), "the first cycle to finish");
        using var client = fixture.CreateClient();

        var page = await client.GetFromJsonAsync<JsonElement>($"api/scimsync/admin/logs?job={Job}&action=Create&status=Success&top=5");
        var next = await client.GetFromJsonAsync<JsonElement>(
            $"api/scimsync/admin/logs?job={Job}&action=Create&status=Success&top=5&continuationToken={Uri.EscapeDataString(page.GetProperty("continuationToken").GetString()!)}");
        var invalid = await client.GetAsync($"api/scimsync/admin/logs?job={Job}&status=Fine&since=yesterday");

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

        var status = await client.GetFromJsonAsync<JsonElement>("api/scimsync/admin/status");
        var page = await client.GetAsync("api/scimsync/admin/page");

        var job = Assert.Single(status.GetProperty("jobs").EnumerateArray());
        Assert.Equal(Job, job.GetProperty("job").GetString());
        Assert.Equal("HR to Atlassian", job.GetProperty("displayName").GetString());
        Assert.True(status.GetProperty("queuedMessages").GetInt32() >= 0);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType?.ToString());
        Assert.Contains("default-src 'none'", string.Join(" ", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"job-hr-title\">HR to Atlassian", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_answers_what_a_cycle_would_do_with_a_change_in_the_directory()
    {
        await fixture.WaitForStatusAsync(AdminRunFixture.CycleFinished, TimeSpan.FromSeconds(120), "the first cycle to finish");
        using var client = fixture.CreateClient();
        // Paused, so no scheduled cycle takes the change before the plan looks at it.
        await client.PostAsync($"api/scimsync/admin/jobs/{Job}/pause", null);
        var user = fixture.Atlassian.State.LiveUsers.First(candidate => candidate.Active && candidate.ExternalId is not null);
        fixture.Graph.Tenant.UpdateUser(user.ExternalId!, "jobTitle", "Planner");

        var plan = await client.GetFromJsonAsync<JsonElement>($"api/scimsync/admin/jobs/{Job}/plan");
        await client.PostAsync($"api/scimsync/admin/jobs/{Job}/resume", null);

        Assert.Equal(Job, plan.GetProperty("job").GetString());
        Assert.Equal("Planned", plan.GetProperty("cycleStatus").GetString());
        var change = Assert.Single(plan.GetProperty("changes").EnumerateArray(), candidate => candidate.GetProperty("sourceId").GetString() == user.ExternalId);
        Assert.True(change.GetProperty("wouldWrite").GetBoolean(), change.ToString());
        Assert.Contains(change.GetProperty("modifiedProperties").EnumerateArray(), property => property.GetProperty("newValue").GetString() == "Planner");
        Assert.NotEqual("Planner", fixture.Atlassian.State.FindUser(user.Id)?.Attribute("title"));
    }

    [Fact]
    public async Task Provision_on_demand_creates_a_new_member_of_an_assigned_group_in_the_target()
    {
        var group = fixture.Graph.Snapshot().Assignments.First(assignment => assignment.PrincipalType == ScimSync.Emulators.Graph.Tenant.ObjectType.Group).PrincipalId;
        var userId = fixture.Graph.Tenant.AddUser("on.demand@contoso.com", "On Demand");
        fixture.Graph.Tenant.AddMember(group, userId);
        using var client = fixture.CreateClient();

        var response = await client.PostAsJsonAsync($"api/scimsync/admin/jobs/{Job}/provision", new { sourceId = userId });
        var missing = await client.PostAsJsonAsync($"api/scimsync/admin/jobs/{Job}/provision", new { sourceId = "00000000-0000-0000-0000-00000000dead" });
        var noId = await client.PostAsync($"api/scimsync/admin/jobs/{Job}/provision", null);

        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.Equal("Succeeded", result.GetProperty("result").GetString());
        Assert.Equal("User", result.GetProperty("kind").GetString());
        var created = fixture.Atlassian.State.FindUserByUserName("on.demand@contoso.com");
        Assert.NotNull(created);
        Assert.Equal(userId, created.ExternalId);
        Assert.Equal("NotFound", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noId.StatusCode);
    }

    [Fact]
    public async Task Provision_on_demand_from_the_page_shows_each_step()
    {
        var userId = fixture.Atlassian.State.LiveUsers.First(user => user.ExternalId is not null).ExternalId!;
        using var client = fixture.CreateClient();

        var response = await client.PostAsync($"api/scimsync/admin/jobs/{Job}/provision", Form(("sourceId", userId)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("<h1>Provision on demand</h1>", html, StringComparison.Ordinal);
        Assert.Contains("data-result>Succeeded</span>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/scimsync/admin/page\">Back to the status page</a>", html, StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value)));

    [GeneratedRegex("name=\"formToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
