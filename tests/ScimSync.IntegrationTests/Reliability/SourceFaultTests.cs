using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Cycle;
using ScimSync.Core.State.Watermarks;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// Microsoft Graph misbehaving under a sync: throttling and server errors while pages are read, expired delta tokens,
/// a page cut off mid-body, and delta entries repeated and replayed. Every user of these tenants stays assigned and
/// enabled, so any deactivation in the target would be a fault let through.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class SourceFaultTests(ReliabilityFixture storage, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Users = 400;
    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Fact]
    public async Task Graph_throttling_and_server_errors_while_pages_are_read_delay_the_sync_and_change_nothing_else()
    {
        var (seed, users) = Tenant();
        await using var run = await StartAsync(seed);
        var graph = run.Graph.Faults;

        // A storm longer than the Graph SDK's retries: the cycle fails as a whole, enqueues nothing and moves no watermark.
        graph.ThrottleNext(10, TimeSpan.FromSeconds(1));
        var storm = await run.SyncAsync();
        Assert.Equal(CycleStatus.Failed, storm.Status);
        Assert.Contains("The last answer: HTTP request failed with status code: TooManyRequests.", storm.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("innerError", storm.Message, StringComparison.Ordinal);
        Assert.Empty(_atlassian.State.Users);
        Assert.Null(await WatermarkAsync(run, WatermarkKind.Users));
        var stormRequests = run.Graph.Counters.Total;

        // Throttling and 503 or 504 on a page, fewer times in a row than the SDK retries: it retries, the cycle completes.
        graph.Reset();
        graph.FailNext(2, 503);
        graph.ThrottleNext(1, TimeSpan.FromSeconds(1));
        var initial = await run.SyncAsync();
        Assert.Equal(CycleStatus.Completed, initial.Status);
        foreach (var user in users.Take(40))
        {
            run.Graph.Tenant.UpdateUser(user, "jobTitle", "Lead");
        }

        graph.FailNext(3, 504);
        var incremental = await run.SyncAsync();
        Assert.Equal(CycleStatus.Completed, incremental.Status);

        // A 500, which the SDK does not retry: the cycle fails whole, and the next one reads the same changes again.
        run.Graph.Tenant.UpdateUser(users[0], "jobTitle", "After The 500");
        graph.FailNext(1, 500);
        var failed = await run.SyncAsync();
        Assert.Equal(CycleStatus.Failed, failed.Status);
        AssertNobodyDeactivated();
        var injected = run.Graph.Counters.Count(RequestOutcome.Throttled) + run.Graph.Counters.Count(RequestOutcome.Failed);
        var graphRequests = run.Graph.Counters.Total;
        var cycles = await run.ConvergeAsync();

        Assert.False(run.EverQuarantined);
        Assert.Equal(stormRequests + 7, injected);
        run.Record("source-throttling-and-errors", new JsonObject
        {
            ["users"] = run.Compare().Users,
            ["stormCycle"] = $"{storm.Status} after {stormRequests} throttled requests",
            ["graphFaultsInjected"] = injected,
            ["graphRequests"] = graphRequests,
            ["faultedCycles"] = $"initial {initial.Status}, incremental {incremental.Status}, after a 500 {failed.Status}",
            ["cleanCyclesToConverge"] = cycles,
            ["deactivated"] = 0,
        });
    }

    [Fact]
    public async Task Expired_delta_tokens_make_the_next_cycle_read_in_full_and_apply_the_change_made_meanwhile_without_deactivating_anyone()
    {
        var (seed, users) = Tenant();
        await using var run = await StartAsync(seed);
        await run.ConvergeAsync();
        var writesBefore = Writes();

        run.Graph.Controls.ExpireAllTokens();
        run.Graph.Tenant.UpdateUser(users[7], "displayName", "Changed While The Token Expired");
        var report = await run.SyncAsync();

        Assert.True(report.FullRead);
        AssertNobodyDeactivated();
        Assert.Equal("Changed While The Token Expired", _atlassian.State.LiveUsers.Single(user => user.DisplayName == "Changed While The Token Expired").DisplayName);
        Assert.Equal(1, Writes() - writesBefore);
        run.Compare().AssertConverged();
        run.Record("source-expired-delta-token", new JsonObject
        {
            ["users"] = Users,
            ["fullRead"] = report.FullRead,
            ["scimWritesAfterTheFullRead"] = Writes() - writesBefore,
            ["deactivated"] = 0,
        });
    }

    [Fact]
    public async Task A_page_cut_off_mid_body_fails_the_cycle_before_anything_is_enqueued_and_the_next_cycle_completes()
    {
        var (seed, users) = Tenant();
        await using var run = await StartAsync(seed);
        await run.ConvergeAsync();
        var watermark = await WatermarkAsync(run, WatermarkKind.Users);
        var deltaRoute = run.Graph.Counters.Snapshot().Keys.First(key => key.StartsWith("GET /users/delta", StringComparison.OrdinalIgnoreCase));

        run.Graph.Tenant.UpdateUser(users[3], "jobTitle", "Changed Before The Cut");
        await run.Harness.Admin.RestartAsync(CycleHarness.Job);
        var full = await WatermarkAsync(run, WatermarkKind.Users);
        Assert.Null(full);
        run.Graph.Faults.MalformNext(1, FaultScope.Parse(deltaRoute));
        var cut = await run.Harness.Runner.RunAsync(CycleHarness.Job);

        Assert.NotEqual(CycleStatus.Completed, cut.Status);
        Assert.Null(await WatermarkAsync(run, WatermarkKind.Users));
        Assert.Empty(await run.Harness.TakeAllAsync());
        AssertNobodyDeactivated();

        await run.SyncAsync();
        Assert.Equal("Changed Before The Cut", _atlassian.State.FindUserByUserName(UpnOf(run, users[3]))!.Attribute("title"));
        run.Compare().AssertConverged();
        run.Record("source-truncated-page", new JsonObject
        {
            ["users"] = Users,
            ["cutCycle"] = $"{cut.Status}: {cut.Message}",
            ["watermarkBefore"] = watermark is not null,
            ["deactivated"] = 0,
        });
    }

    [Fact]
    public async Task Repeated_and_replayed_delta_entries_write_nothing_twice()
    {
        var (seed, users) = Tenant();
        await using var run = await StartAsync(seed, new GraphEmulatorOptions { RepeatObjects = true, ShuffleOrder = true, UserPageSize = 50 });
        await run.ConvergeAsync();
        var before = await run.Harness.Services.GetRequiredService<WatermarkStore>().GetAsync(CycleHarness.Job, WatermarkKind.Users);
        foreach (var user in users.Take(25))
        {
            run.Graph.Tenant.UpdateUser(user, "jobTitle", "Replayed");
        }

        var writesBefore = Writes();
        await run.SyncAsync();
        var firstWrites = Writes() - writesBefore;

        // The same delta round again, from the watermark the cycle started with, as after a restore of the state store.
        var watermarks = run.Harness.Services.GetRequiredService<WatermarkStore>();
        var current = await watermarks.GetAsync(CycleHarness.Job, WatermarkKind.Users);
        await watermarks.SaveAsync(before!.Value, current!.ETag);
        var replay = await run.SyncAsync();

        Assert.Equal(25, firstWrites);
        Assert.Equal(firstWrites, Writes() - writesBefore);
        Assert.True(replay.Enqueued >= 25, $"The replayed round enqueued {replay.Enqueued} items.");
        run.Compare().AssertConverged();
        run.Record("source-repeated-and-replayed-delta", new JsonObject
        {
            ["users"] = Users,
            ["changedUsers"] = 25,
            ["scimWritesForTheChange"] = firstWrites,
            ["scimWritesForTheReplay"] = Writes() - writesBefore - firstWrites,
            ["itemsTheReplayEnqueued"] = replay.Enqueued,
        });
    }

    private Task<ReliabilityRun> StartAsync(DirectorySeed seed, GraphEmulatorOptions? graph = null) =>
        ReliabilityRun.StartAsync(storage.ConnectionString, seed, _atlassian, output, graph ?? new GraphEmulatorOptions { UserPageSize = 50 });

    private long Writes() =>
        _atlassian.Counters.Snapshot().Where(pair => !pair.Key.StartsWith("GET ", StringComparison.Ordinal))
            .Sum(pair => pair.Value.GetValueOrDefault(RequestOutcome.Served));

    private void AssertNobodyDeactivated() =>
        Assert.DoesNotContain(_atlassian.State.LiveUsers, user => !user.Active);

    private static async Task<Watermark?> WatermarkAsync(ReliabilityRun run, WatermarkKind kind) =>
        (await run.Harness.Services.GetRequiredService<WatermarkStore>().GetAsync(CycleHarness.Job, kind))?.Value;

    private static string UpnOf(ReliabilityRun run, string id) =>
        run.Graph.Snapshot().ActiveUsers.Single(user => user.Id == id).Properties["userPrincipalName"].GetString()!;

    /// <summary>400 users in four assigned groups.</summary>
    private static (DirectorySeed Seed, IReadOnlyList<string> Users) Tenant()
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(Users);
        for (var g = 0; g < 4; g++)
        {
            seed.Assign(seed.AddGroup($"Region {g}", users.Where((_, i) => i % 4 == g)), ObjectType.Group);
        }

        return (seed.Build(), users);
    }
}
