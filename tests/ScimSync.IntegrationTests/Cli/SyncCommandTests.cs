using System.Text.Json;

namespace ScimSync.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class SyncCommandTests(CliFixture fixture)
{
    [Fact]
    public async Task Sync_provisions_the_assigned_users_and_status_and_logs_show_it()
    {
        var sync = await CliRun.InvokeAsync(fixture.Args("sync", "--job", "sync"));

        Assert.True(sync.ExitCode == 0, sync.Output);
        Assert.NotNull(fixture.Atlassian.State.FindUserByUserName("adele.vance@contoso.com"));
        Assert.Null(fixture.Atlassian.State.FindUserByUserName("ingrid.svensson@fabrikam-partners.com"));

        var status = await CliRun.InvokeAsync(fixture.Args("status", "--job", "sync"));
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains("Active", status.Output);
        Assert.Contains("Last cycle", status.Output);

        var logs = await CliRun.InvokeAsync(fixture.Args("logs", "--job", "sync", "--action", "Create", "--status", "Success", "--top", "500", "--format", "json"));
        Assert.True(logs.ExitCode == 0, logs.Output);
        using var entries = JsonDocument.Parse(logs.Output);
        var created = entries.RootElement.EnumerateArray().ToList();
        Assert.Contains(created, entry => entry.GetProperty("sourceIdentity").GetProperty("displayName").GetString() == "Adele Vance");
        Assert.All(created, entry => Assert.Equal("Create", entry.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Audit_finds_a_user_deleted_in_the_target_plan_writes_nothing_and_the_next_sync_creates_it_again()
    {
        var sync = await CliRun.InvokeAsync(fixture.Args("sync", "--job", "sync"));
        Assert.True(sync.ExitCode == 0, sync.Output);
        var lost = fixture.Atlassian.State.LiveUsers.First(user => user.Active && !user.UserName.StartsWith("adele", StringComparison.OrdinalIgnoreCase));
        using (var http = fixture.Atlassian.CreateClient())
        {
            (await http.DeleteAsync($"Users/{lost.Id}")).EnsureSuccessStatusCode();
        }

        var plan = await CliRun.InvokeAsync(fixture.Args("audit", "--job", "sync", "--plan", "--format", "json"));
        Assert.True(plan.ExitCode == 0, plan.Output);
        using (var document = JsonDocument.Parse(plan.Output))
        {
            var findings = document.RootElement[0].GetProperty("findings").EnumerateArray().ToList();
            Assert.Contains(findings, finding => finding.GetProperty("kind").GetString() == "Missing" && finding.GetProperty("targetId").GetString() == lost.Id);
        }

        var audit = await CliRun.InvokeAsync(fixture.Args("audit", "--job", "sync"));
        Assert.True(audit.ExitCode == 0, audit.Output);
        Assert.Contains("Missing", audit.Output);
        Assert.Contains("repair pending", audit.Output);
        var status = await CliRun.InvokeAsync(fixture.Args("status", "--job", "sync"));
        Assert.Contains("Drift", status.Output);

        var repair = await CliRun.InvokeAsync(fixture.Args("sync", "--job", "sync"));
        Assert.True(repair.ExitCode == 0, repair.Output);
        var back = fixture.Atlassian.State.FindUserByUserName(lost.UserName);
        Assert.NotNull(back);
        Assert.NotEqual(lost.Id, back.Id);
    }

    [Fact]
    public async Task Plan_lists_the_work_without_writing_to_the_target()
    {
        fixture.Atlassian.Counters.Reset();

        var plan = await CliRun.InvokeAsync(fixture.Args("plan", "--job", "plan", "--format", "json"));

        Assert.True(plan.ExitCode == 0, plan.Output);
        using var document = JsonDocument.Parse(plan.Output);
        var changes = document.RootElement[0].GetProperty("changes");
        Assert.True(changes.GetArrayLength() > 400, $"{changes.GetArrayLength()} planned changes");
        var writes = fixture.Atlassian.Counters.Snapshot().Keys
            .Where(route => !route.StartsWith("GET ", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.Empty(writes);

        var table = await CliRun.InvokeAsync(fixture.Args("plan", "--job", "plan"));
        Assert.True(table.ExitCode == 0, table.Output);
        Assert.Contains("create", table.Output);
        Assert.Contains("InvalidDomain", table.Output);
        Assert.DoesNotContain(fixture.Atlassian.Counters.Snapshot().Keys, route => !route.StartsWith("GET ", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_job_whose_token_is_refused_is_quarantined_and_exits_3()
    {
        var sync = await CliRun.InvokeAsync(fixture.Args("sync", "--job", "wrong-token", "--settings", fixture.OwnQueueSettingsFile));

        Assert.True(sync.ExitCode == 3, sync.Output);
        Assert.Contains("restart --job wrong-token --scope QuarantineState", sync.Output);

        var status = await CliRun.InvokeAsync(fixture.Args("status", "--job", "wrong-token", "--settings", fixture.OwnQueueSettingsFile));
        Assert.Equal(3, status.ExitCode);
        Assert.Contains("Quarantined", status.Output);

        var restart = await CliRun.InvokeAsync(fixture.Args("restart", "--job", "wrong-token", "--scope", "QuarantineState", "--settings", fixture.OwnQueueSettingsFile));
        Assert.True(restart.ExitCode == 0, restart.Output);
        var after = await CliRun.InvokeAsync(fixture.Args("status", "--job", "wrong-token", "--settings", fixture.OwnQueueSettingsFile));
        Assert.True(after.ExitCode == 0, after.Output);
        Assert.Contains("Active", after.Output);
    }

    [Fact]
    public async Task Pause_and_resume_show_in_the_status()
    {
        var pause = await CliRun.InvokeAsync(fixture.Args("pause", "--job", "plan", "--reason", "maintenance window"));
        Assert.True(pause.ExitCode == 0, pause.Output);
        var paused = await CliRun.InvokeAsync(fixture.Args("status", "--job", "plan"));
        Assert.Contains("Paused", paused.Output);
        Assert.Contains("maintenance window", paused.Output);
        Assert.Contains("scimsync resume --job plan", paused.Output);

        var resume = await CliRun.InvokeAsync(fixture.Args("resume", "--job", "plan"));
        Assert.True(resume.ExitCode == 0, resume.Output);
        var active = await CliRun.InvokeAsync(fixture.Args("status", "--job", "plan"));
        Assert.Contains("Active", active.Output);
    }

    [Fact]
    public async Task Test_connection_passes_with_the_directory_key_and_fails_with_another()
    {
        var good = await CliRun.InvokeAsync(fixture.Args("test-connection", "--job", "sync"));
        var bad = await CliRun.InvokeAsync(fixture.Args("test-connection", "--job", "wrong-token"));

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("OK", good.Output);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("FAILED", bad.Output);
    }

    [Fact]
    public async Task Provision_on_demand_creates_one_user_and_prints_its_steps()
    {
        var id = fixture.Graph.Tenant.AddUser(new Dictionary<string, object?>
        {
            ["userPrincipalName"] = "pat.ondemand@contoso.com",
            ["displayName"] = "Pat Ondemand",
            ["givenName"] = "Pat",
            ["surname"] = "Ondemand",
            ["accountEnabled"] = true,
        });
        var atlassianUsers = fixture.Graph.Snapshot().Groups.Single(group => group.DisplayName == "Atlassian Users").Id;
        fixture.Graph.Tenant.AddMember(atlassianUsers, id);

        var run = await CliRun.InvokeAsync(fixture.Args("provision", id, "--job", "plan"));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Pat Ondemand: Create Success", run.Output);
        Assert.Contains("Export", run.Output);
        Assert.NotNull(fixture.Atlassian.State.FindUserByUserName("pat.ondemand@contoso.com"));
    }

    [Fact]
    public async Task Provision_on_demand_of_an_object_out_of_scope_explains_it_and_exits_1()
    {
        var legal = fixture.Graph.Snapshot().Users.First(user => user.DisplayName == "Fatima Khan").Id;

        var run = await CliRun.InvokeAsync(fixture.Args("provision", legal, "--job", "plan"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not in the scope", run.Output);
    }
}
