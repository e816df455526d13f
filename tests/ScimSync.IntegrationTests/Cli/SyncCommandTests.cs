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
    }
}
