using System.Text.Json.Nodes;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Azurite;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// The engine's own infrastructure failing under a sync: the storage emulator stopped and restarted (with its store on
/// disk, and in memory), and the worker killed between the target's write and its own state write.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class InfrastructureFaultTests(ReliabilityFixture storage, ITestOutputHelper output) : IAsyncLifetime
{
    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Fact]
    public async Task Storage_stopped_mid_drain_and_restarted_with_its_store_loses_no_change_and_duplicates_nothing()
    {
        await using var run = await ReliabilityRun.StartAsync(storage.ConnectionString, Tenant(300), _atlassian, output);
        _atlassian.Faults.Latency = TimeSpan.FromMilliseconds(20);
        await run.Harness.Runner.RunAsync(CycleHarness.Job);

        using var stop = new CancellationTokenSource();
        var worker = run.Worker.DrainAsync(16, stopWhenEmpty: false, cancellationToken: stop.Token);
        await WaitUntilAsync(() => _atlassian.State.Users.Count >= 100, TimeSpan.FromSeconds(60));
        var atRestart = _atlassian.State.Users.Count;
        await storage.Azurite.RestartAsync(TimeSpan.FromSeconds(3));
        // The worker goes on after the outage; creates whose claim the outage left behind wait for it to lapse.
        await WaitWhileGrowingAsync(() => _atlassian.State.Users.Count, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(120));
        var afterOutage = _atlassian.State.Users.Count;
        await stop.CancelAsync();
        await worker;
        _atlassian.Faults.Reset();
        var cycles = await run.ConvergeAsync();

        var final = run.Compare();
        Assert.Equal(0, final.Duplicates);
        Assert.False(run.EverQuarantined);
        run.Record("storage-restart-persistent", new JsonObject
        {
            ["users"] = final.Users,
            ["usersInTargetAtRestart"] = atRestart,
            ["usersInTargetBeforeTheNextCycle"] = afterOutage,
            ["downtimeSeconds"] = 3,
            ["scimRequests"] = _atlassian.Counters.Total,
            ["cleanCyclesToConverge"] = cycles,
            ["duplicates"] = final.Duplicates,
            ["lost"] = final.Missing,
        });
    }

    [Fact]
    public async Task Storage_restarted_in_memory_with_the_worker_mid_drain_forgets_everything_and_the_next_cycle_reports_it_and_adopts_every_account()
    {
        await using var memory = await AzuriteProcess.StartAsync();
        await using var run = await ReliabilityRun.StartAsync(memory.ConnectionString, Tenant(150), _atlassian, output);
        _atlassian.Faults.Latency = TimeSpan.FromMilliseconds(20);
        await run.Harness.Runner.RunAsync(CycleHarness.Job);
        using (var stop = new CancellationTokenSource())
        {
            var worker = run.Worker.DrainAsync(8, stopWhenEmpty: false, cancellationToken: stop.Token);
            await WaitUntilAsync(() => _atlassian.State.Users.Count >= 50, TimeSpan.FromSeconds(60));
            // The local environment restarts as a whole: the worker stops, and the storage comes back empty.
            await stop.CancelAsync();
            await worker;
            await memory.RestartAsync(TimeSpan.FromSeconds(1));
        }

        var usersBefore = _atlassian.State.Users.Count;
        _atlassian.Faults.Reset();
        var cycles = await run.ConvergeAsync();

        // The watermark, the queue and every link to the target were lost with the store: the next cycle read the
        // directory in full, said the store was lost, and matched the accounts already made instead of creating them again.
        Assert.Contains(run.Cycles, cycle => cycle.Message.Contains("its state store was lost or emptied", StringComparison.Ordinal));
        var final = run.Compare();
        Assert.Equal(0, final.Duplicates);
        Assert.Equal(150, _atlassian.State.Users.Count);
        run.Record("storage-restart-in-memory", new JsonObject
        {
            ["users"] = final.Users,
            ["usersInTargetWhenStoreWasLost"] = usersBefore,
            ["cleanCyclesToConverge"] = cycles,
            ["duplicates"] = final.Duplicates,
            ["lost"] = final.Missing,
        });
    }

    [Fact]
    public async Task A_worker_killed_after_the_target_created_an_account_and_before_its_state_write_leads_to_adoption_not_a_duplicate()
    {
        var seed = Tenant(20);
        await using var run = await ReliabilityRun.StartAsync(storage.ConnectionString, seed, _atlassian, output);
        _atlassian.Faults.HangNext(1, new FaultScope("POST", "/Users"), afterProcessing: true);
        await run.Harness.Runner.RunAsync(CycleHarness.Job);

        using (var kill = new CancellationTokenSource())
        {
            var worker = run.Worker.DrainAsync(4, stopWhenEmpty: false, cancellationToken: kill.Token);
            await WaitUntilAsync(() => _atlassian.Counters.Count("POST /Users", RequestOutcome.Hung) == 1 && _atlassian.State.Users.Count >= 1, TimeSpan.FromSeconds(30));
            await kill.CancelAsync();
            await worker;
        }

        // The accounts the killed worker created (the hung create, and any other cut off by the kill): in the target,
        // and unknown to the engine's state.
        var sourceIdOf = run.Graph.Snapshot().ActiveUsers.ToDictionary(user => user.Properties["userPrincipalName"].GetString()!, user => user.Id, StringComparer.OrdinalIgnoreCase);
        var orphans = new List<AtlassianUser>();
        foreach (var account in _atlassian.State.LiveUsers)
        {
            var state = await run.Harness.Objects.GetAsync(CycleHarness.Job, ObjectKind.User, new SourceId(sourceIdOf[account.UserName]));
            if (state?.Value.TargetId is null)
            {
                orphans.Add(account);
            }
        }

        Assert.NotEmpty(orphans);

        var cycles = await run.ConvergeAsync();

        Assert.Equal(0, run.Compare().Duplicates);
        foreach (var orphan in orphans)
        {
            Assert.Equal(orphan.Id, _atlassian.State.FindUserByUserName(orphan.UserName)!.Id);
            var adopted = (await run.Harness.Objects.GetAsync(CycleHarness.Job, ObjectKind.User, new SourceId(sourceIdOf[orphan.UserName])))!.Value;
            Assert.Equal(orphan.Id, adopted.TargetId?.Value);
        }

        run.Record("worker-killed-between-writes", new JsonObject
        {
            ["users"] = 20,
            ["accountsCreatedWithoutStateWrite"] = orphans.Count,
            ["adoptedAfterwards"] = orphans.Count,
            ["cleanCyclesToConverge"] = cycles,
            ["duplicates"] = run.Compare().Duplicates,
        });
    }

    /// <summary>Waits until <paramref name="count"/> stops growing for <paramref name="quiet"/>, or reaches the limit.</summary>
    private static async Task WaitWhileGrowingAsync(Func<int> count, TimeSpan quiet, TimeSpan atMost)
    {
        var deadline = DateTimeOffset.UtcNow + atMost;
        var last = count();
        var since = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow < deadline && DateTimeOffset.UtcNow - since < quiet)
        {
            await Task.Delay(250);
            if (count() != last)
            {
                last = count();
                since = DateTimeOffset.UtcNow;
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition was not met within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(25);
        }
    }

    /// <summary><paramref name="users"/> users, in three assigned groups.</summary>
    private static DirectorySeed Tenant(int users)
    {
        var seed = new DirectorySeedBuilder();
        var ids = seed.AddUsers(users);
        for (var g = 0; g < 3; g++)
        {
            seed.Assign(seed.AddGroup($"Site {g}", ids.Where((_, i) => i % 3 == g)), ObjectType.Group);
        }

        return seed.Build();
    }
}
