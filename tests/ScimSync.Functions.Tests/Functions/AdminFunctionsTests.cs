using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.State.Jobs;
using ScimSync.Functions.Admin;
using ScimSync.Functions.Tests.Hosting;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.Functions.Tests.Functions;

/// <summary>
/// Every admin function, called as the Functions host calls it after checking the function key, with the effect
/// checked where it lands: the job's state, the next cycle, and Atlassian.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AdminFunctionsTests(AzuriteFixture azurite)
{
    private const string Root = "/api/scimsync/admin/";
    private static readonly string Job = FunctionsAppHarness.Job.Value;

    [Fact]
    public async Task Status_answers_each_jobs_state_as_JSON_and_the_page_as_HTML()
    {
        var (seed, _) = AppScenario.AssignedUsers(2);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        await app.DeliverWorkAsync();

        var status = await app.InvokeAsync("GET", Root + "status", r => app.Function<StatusFunction>().RunAsync(r, CancellationToken.None));
        var page = await app.InvokeAsync("GET", Root + "page", r => app.Function<StatusPageFunction>().RunAsync(r, CancellationToken.None), "?code=function-key");

        Assert.Equal(200, status.StatusCode);
        Assert.StartsWith("application/json", status.ContentType, StringComparison.Ordinal);
        Assert.Contains(Job, status.Body, StringComparison.Ordinal);
        Assert.Equal(200, page.StatusCode);
        Assert.StartsWith("text/html", page.ContentType, StringComparison.Ordinal);
        Assert.Contains("Functions test", page.Body, StringComparison.Ordinal);
        // The page's forms go back through the Functions routes, carrying the key the page was opened with.
        Assert.Contains(Root + "jobs/" + Job + "/pause?code=function-key", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_lists_the_entries_of_the_last_sync_filtered_by_status()
    {
        var (seed, _) = AppScenario.AssignedUsers(3);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        await app.DeliverWorkAsync();

        var all = await app.InvokeAsync("GET", Root + "logs", r => app.Function<LogsFunction>().RunAsync(r, CancellationToken.None), $"?job={Job}");
        var failures = await app.InvokeAsync("GET", Root + "logs", r => app.Function<LogsFunction>().RunAsync(r, CancellationToken.None), $"?job={Job}&status=Failure");
        var wrong = await app.InvokeAsync("GET", Root + "logs", r => app.Function<LogsFunction>().RunAsync(r, CancellationToken.None), $"?job={Job}&status=Sometimes");

        Assert.Equal(200, all.StatusCode);
        Assert.Equal(3, Entries(all).Count);
        Assert.Empty(Entries(failures));
        Assert.Equal(400, wrong.StatusCode);
        Assert.Contains("status", wrong.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_stops_the_timers_cycles_and_resume_starts_them_again()
    {
        var (seed, users) = AppScenario.AssignedUsers(1);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);

        var paused = await app.InvokeAsync("POST", Root + $"jobs/{Job}/pause", r => app.Function<PauseJobFunction>().RunAsync(r, Job, CancellationToken.None), "?reason=maintenance");
        await app.TickAsync();

        Assert.Equal(200, paused.StatusCode);
        Assert.Equal(JobStatus.Paused, (await StateAsync(app)).Status);
        Assert.Empty(await app.Host.WorkQueue.PeekAllAsync());

        var resumed = await app.InvokeAsync("POST", Root + $"jobs/{Job}/resume", r => app.Function<ResumeJobFunction>().RunAsync(r, Job, CancellationToken.None));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.TickAsync();
        await app.DeliverWorkAsync();

        Assert.Equal(200, resumed.StatusCode);
        Assert.Equal(JobStatus.Active, (await StateAsync(app)).Status);
        Assert.True(app.AtlassianUserOf(users[0])?.Active);
    }

    [Fact]
    public async Task Restart_with_the_watermark_scope_makes_the_next_cycle_read_the_directory_in_full()
    {
        var (seed, _) = AppScenario.AssignedUsers(2);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        await app.DeliverWorkAsync();

        var restarted = await app.InvokeAsync("POST", Root + $"jobs/{Job}/restart", r => app.Function<RestartJobFunction>().RunAsync(r, Job, CancellationToken.None), "?scope=Watermark");
        var unknown = await app.InvokeAsync("POST", Root + $"jobs/{Job}/restart", r => app.Function<RestartJobFunction>().RunAsync(r, Job, CancellationToken.None), "?scope=Everything");
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.TickAsync();

        Assert.Equal(200, restarted.StatusCode);
        Assert.Equal(400, unknown.StatusCode);
        Assert.True((await StateAsync(app)).LastCycle?.FullRead);
    }

    [Fact]
    public async Task Allow_deletes_releases_the_held_deprovisions_and_dismiss_drops_them()
    {
        var (seed, users) = AppScenario.AssignedUsers(6);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed, policy: new JsonObject { ["interval"] = "00:01:00", ["deletionThreshold"] = 2 });
        await app.TickAsync();
        await app.DeliverWorkAsync();
        foreach (var user in users.Take(3))
        {
            app.Graph.Tenant.Unassign(user);
        }

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.TickAsync();
        await app.DeliverWorkAsync();
        Assert.Equal(JobStatus.DeletionsHeld, (await StateAsync(app)).Status);
        Assert.All(users, user => Assert.True(app.AtlassianUserOf(user)?.Active));

        var allowed = await app.InvokeAsync("POST", Root + $"jobs/{Job}/allow-deletes", r => app.Function<AllowDeletesFunction>().RunAsync(r, Job, CancellationToken.None));
        await app.DeliverWorkAsync();

        Assert.Equal(200, allowed.StatusCode);
        Assert.Equal(JobStatus.Active, (await StateAsync(app)).Status);
        Assert.All(users.Take(3), user => Assert.False(app.AtlassianUserOf(user)?.Active));
        Assert.All(users.Skip(3), user => Assert.True(app.AtlassianUserOf(user)?.Active));

        foreach (var user in users.Skip(3))
        {
            app.Graph.Tenant.Unassign(user);
        }

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.TickAsync();
        Assert.Equal(JobStatus.DeletionsHeld, (await StateAsync(app)).Status);

        var dismissed = await app.InvokeAsync("POST", Root + $"jobs/{Job}/dismiss-deletes", r => app.Function<DismissDeletesFunction>().RunAsync(r, Job, CancellationToken.None));
        await app.DeliverWorkAsync();

        Assert.Equal(200, dismissed.StatusCode);
        Assert.All(users.Skip(3), user => Assert.True(app.AtlassianUserOf(user)?.Active));
    }

    [Fact]
    public async Task Retry_makes_a_poisoned_object_due_now_and_the_next_tick_settles_it()
    {
        var (seed, users) = AppScenario.AssignedUsers(2);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        await app.DeliverWorkAsync();
        var objects = app.Services.GetRequiredService<ScimSync.Core.State.Objects.ObjectStateStore>();
        var user = new ScimSync.Core.Identity.SourceId(users[0]);
        await objects.RecordUnsettledAsync(FunctionsAppHarness.Job, ScimSync.Core.Directory.ObjectKind.User, user, ScimSync.Core.Queueing.WorkOperation.Upsert,
            "a-change-whose-message-was-lost", null, countsAgainstObject: true, poisoned: true, app.Clock.GetUtcNow().AddDays(1));

        var retried = await app.InvokeAsync("POST", Root + $"jobs/{Job}/retry", r => app.Function<RetryObjectsFunction>().RunAsync(r, Job, CancellationToken.None));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.TickAsync();
        await app.DeliverWorkAsync();

        Assert.Equal(200, retried.StatusCode);
        var row = (await objects.GetAsync(FunctionsAppHarness.Job, ScimSync.Core.Directory.ObjectKind.User, user))!.Value;
        Assert.Null(row.Pending);
        Assert.True(app.AtlassianUserOf(users[0])?.Active);
    }

    [Fact]
    public async Task Audit_finds_a_user_deleted_in_the_target_and_the_next_tick_creates_it_again()
    {
        var (seed, users) = AppScenario.AssignedUsers(2);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        await app.DeliverWorkAsync();
        var lost = app.AtlassianUserOf(users[0])!;
        using (var http = app.Atlassian.CreateClient())
        {
            (await http.DeleteAsync($"Users/{lost.Id}")).EnsureSuccessStatusCode();
        }

        var plan = await app.InvokeAsync("POST", Root + $"jobs/{Job}/audit", r => app.Function<AuditFunction>().RunAsync(r, Job, CancellationToken.None), query: "?plan=true");
        var audit = await app.InvokeAsync("POST", Root + $"jobs/{Job}/audit", r => app.Function<AuditFunction>().RunAsync(r, Job, CancellationToken.None));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.TickAsync();
        await app.DeliverWorkAsync();

        Assert.Equal(200, plan.StatusCode);
        Assert.Contains("\"plan\":true", plan.Body, StringComparison.Ordinal);
        Assert.Equal(200, audit.StatusCode);
        Assert.Contains("\"missing\"", audit.Body, StringComparison.OrdinalIgnoreCase);
        var recreated = app.AtlassianUserOf(users[0]);
        Assert.True(recreated?.Active);
        Assert.NotEqual(lost.Id, recreated!.Id);
    }

    [Fact]
    public async Task Plan_answers_what_the_next_cycle_would_do_and_writes_nothing()
    {
        var (seed, users) = AppScenario.AssignedUsers(2);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);

        var plan = await app.InvokeAsync("GET", Root + $"jobs/{Job}/plan", r => app.Function<PlanFunction>().RunAsync(r, Job, CancellationToken.None));

        Assert.Equal(200, plan.StatusCode);
        Assert.All(users, user => Assert.Contains(user, plan.Body, StringComparison.Ordinal));
        Assert.Empty(app.Atlassian.State.LiveUsers);
        Assert.Empty(await app.Host.WorkQueue.PeekAllAsync());
    }

    [Fact]
    public async Task Provision_on_demand_creates_the_user_in_Atlassian_at_once_without_the_queue()
    {
        var (seed, users) = AppScenario.AssignedUsers(2);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);

        var provisioned = await app.InvokeAsync(
            "POST", Root + $"jobs/{Job}/provision", r => app.Function<ProvisionOnDemandFunction>().RunAsync(r, Job, CancellationToken.None), $"?sourceId={users[0]}");
        var missing = await app.InvokeAsync(
            "POST", Root + $"jobs/{Job}/provision", r => app.Function<ProvisionOnDemandFunction>().RunAsync(r, Job, CancellationToken.None));

        Assert.Equal(200, provisioned.StatusCode);
        Assert.True(app.AtlassianUserOf(users[0])?.Active);
        Assert.Null(app.AtlassianUserOf(users[1]));
        Assert.Empty(await app.Host.WorkQueue.PeekAllAsync());
        Assert.Equal(400, missing.StatusCode);
    }

    [Fact]
    public async Task An_action_on_a_job_the_file_does_not_name_is_not_found()
    {
        var (seed, _) = AppScenario.AssignedUsers(1);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);

        var answer = await app.InvokeAsync("POST", Root + "jobs/nobody/pause", r => app.Function<PauseJobFunction>().RunAsync(r, "nobody", CancellationToken.None));

        Assert.Equal(404, answer.StatusCode);
    }

    [Fact]
    public async Task A_form_posted_from_the_page_is_answered_with_a_redirect_back_to_the_page_under_the_functions_route()
    {
        var (seed, _) = AppScenario.AssignedUsers(1);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);

        var answer = await app.InvokeAsync(
            "POST", Root + $"jobs/{Job}/pause", r => app.Function<PauseJobFunction>().RunAsync(r, Job, CancellationToken.None), "?code=function-key",
            new Dictionary<string, string> { ["reason"] = "from the page" });

        Assert.Equal(303, answer.StatusCode);
        Assert.StartsWith(Root + "page?", answer.Location, StringComparison.Ordinal);
        Assert.Contains("code=function-key", answer.Location, StringComparison.Ordinal);
    }

    private static async Task<JobState> StateAsync(FunctionsAppHarness app) =>
        (await app.Services.GetRequiredService<JobStateStore>().GetAsync(FunctionsAppHarness.Job))!.Value;

    private static JsonArray Entries(HttpAnswer answer) =>
        JsonNode.Parse(answer.Body)!.AsObject().Single(p => string.Equals(p.Key, "entries", StringComparison.OrdinalIgnoreCase)).Value!.AsArray();
}
