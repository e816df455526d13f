using System.Diagnostics;
using System.Text.Json.Nodes;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// A 2,000-user initial sync and an incremental one while the target misbehaves in every way a SCIM service does:
/// throttling storms in both header styles, 30 % server errors, hung requests, connections dropped after the target
/// acted, answers that are not JSON or carry no id, and a restart. Then the target is read and compared with the
/// directory.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class TargetFaultTests(ReliabilityFixture storage, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Users = 2_000;
    private const int Groups = 20;
    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Fact]
    public async Task A_2000_user_initial_sync_and_an_incremental_one_under_every_target_fault_end_equal_to_the_directory()
    {
        var (seed, users, groups) = Tenant();
        await using var run = await ReliabilityRun.StartAsync(storage.ConnectionString, seed, _atlassian, output);
        var clock = Stopwatch.StartNew();

        using (var faults = new CancellationTokenSource())
        {
            var conductor = InitialSyncFaultsAsync(faults.Token);
            await run.SyncAsync();
            await faults.CancelAsync();
            await conductor;
        }

        var afterFaultedInitial = run.Compare();
        _atlassian.Faults.Reset();
        var initialCycles = await run.ConvergeAsync();
        var initialFaults = Injected();
        var initialRequests = _atlassian.Counters.Total;
        var initialSeconds = clock.Elapsed.TotalSeconds;

        // The incremental change: titles, names, a disabled account, users leaving scope and group membership moves.
        var tenant = run.Graph.Tenant;
        foreach (var user in users.Take(100))
        {
            tenant.UpdateUser(user, "jobTitle", "Principal");
        }

        foreach (var user in users.Skip(100).Take(20))
        {
            tenant.UpdateUser(user, "displayName", $"Renamed {user[^4..]}");
        }

        foreach (var user in users.Skip(120).Take(10))
        {
            tenant.DisableUser(user);
        }

        foreach (var user in users.Skip(130).Take(10))
        {
            foreach (var group in groups)
            {
                tenant.RemoveMember(group, user);
            }
        }

        for (var i = 0; i < 30; i++)
        {
            var user = users[200 + i];
            tenant.RemoveMember(groups[i % Groups], user);
            tenant.AddMember(groups[(i + 5) % Groups], user);
        }

        _atlassian.Counters.Reset();
        _atlassian.Faults.ServerErrorShare = 0.3;
        _atlassian.Faults.ThrottleNext(40, TimeSpan.FromSeconds(1), style: ThrottleHeaderStyle.RateLimitReset);
        _atlassian.Faults.DropNext(3, new FaultScope("PATCH", "/Users/{id}"), afterProcessing: true);
        _atlassian.Faults.DropNext(2, new FaultScope("PATCH", "/Groups/{id}"), afterProcessing: true);
        _atlassian.Faults.HangNext(2, new FaultScope("PATCH", "/Users/{id}"));
        _atlassian.Faults.MalformNext(2, new FaultScope("PATCH", "/Users/{id}"));
        await run.SyncAsync();
        var afterFaultedIncremental = run.Compare();
        _atlassian.Faults.Reset();
        var incrementalCycles = await run.ConvergeAsync();
        var incrementalFaults = Injected();

        var final = run.Compare();
        Assert.Equal(0, final.Duplicates);
        Assert.Equal(0, final.Missing);
        Assert.False(run.EverQuarantined, "The job was quarantined for transient target trouble.");
        var logs = await run.LogsAsync();
        var failedAttempts = ReliabilityRun.FailedAttempts(logs);
        // Every write the target failed, cut off or garbled came back to the engine as a failed attempt, and each is in the log.
        var faultedCreates = initialFaults["POST /Users"];
        Assert.True(failedAttempts >= faultedCreates, $"{failedAttempts} failed attempts are logged; the target faulted {faultedCreates} creates.");

        run.Record("target-faults", new JsonObject
        {
            ["users"] = final.Users,
            ["groups"] = final.Groups,
            ["initial"] = new JsonObject
            {
                ["faultsInjected"] = Figures(initialFaults),
                ["scimRequests"] = initialRequests,
                ["differencesAfterFaultedCycle"] = afterFaultedInitial.Problems.Count,
                ["cleanCyclesToConverge"] = initialCycles,
                ["seconds"] = Math.Round(initialSeconds),
            },
            ["incremental"] = new JsonObject
            {
                ["faultsInjected"] = Figures(incrementalFaults),
                ["scimRequests"] = _atlassian.Counters.Total,
                ["differencesAfterFaultedCycle"] = afterFaultedIncremental.Problems.Count,
                ["cleanCyclesToConverge"] = incrementalCycles,
            },
            ["failedAttemptsLogged"] = failedAttempts,
            ["logEntries"] = logs.Count,
            ["duplicates"] = final.Duplicates,
            ["lost"] = final.Missing,
            ["quarantined"] = run.EverQuarantined,
        });
    }

    /// <summary>
    /// The initial sync's faults, each started once the target holds a given number of users, so every kind lands on
    /// work in flight: two throttling storms, a stretch of 30 % server errors, hung creates, creates whose answer is
    /// lost, creates answered with a body that is not JSON or has no id, and a restart.
    /// </summary>
    private async Task InitialSyncFaultsAsync(CancellationToken stop)
    {
        var faults = _atlassian.Faults;
        var posts = new FaultScope("POST", "/Users");
        faults.ThrottleNext(60, TimeSpan.FromSeconds(1), style: ThrottleHeaderStyle.RetryAfterSeconds);
        var steps = new (int AtUsers, Func<Task> Apply)[]
        {
            (200, () => { faults.ThrottleNext(60, TimeSpan.FromSeconds(1), style: ThrottleHeaderStyle.RateLimitReset); return Task.CompletedTask; }),
            (400, () => { faults.ServerErrorShare = 0.3; return Task.CompletedTask; }),
            (800, () => { faults.ServerErrorShare = 0; faults.HangNext(4, posts); return Task.CompletedTask; }),
            (1_200, () => { faults.DropNext(5, posts, afterProcessing: true); return Task.CompletedTask; }),
            (1_400, () => { faults.MalformNext(3, posts); faults.AnswerWithoutIdNext(3, posts); return Task.CompletedTask; }),
            (1_600, () => _atlassian.RestartAsync(TimeSpan.FromSeconds(2))),
        };
        try
        {
            foreach (var (atUsers, apply) in steps)
            {
                while (_atlassian.State.Users.Count < atUsers)
                {
                    await Task.Delay(50, stop);
                }

                await apply();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The sync ended before every step was reached; the figures say which faults were injected.
        }
    }

    /// <summary>Faulted requests by route ("POST /Users", …) and by kind, from the emulator's counters.</summary>
    private Dictionary<string, long> Injected()
    {
        var faulted = new[] { RequestOutcome.Throttled, RequestOutcome.Failed, RequestOutcome.Hung, RequestOutcome.Dropped, RequestOutcome.Malformed };
        var byRoute = _atlassian.Counters.Snapshot()
            .ToDictionary(pair => pair.Key, pair => faulted.Sum(outcome => pair.Value.GetValueOrDefault(outcome)));
        var figures = faulted.ToDictionary(outcome => outcome.ToString(), outcome => _atlassian.Counters.Count(outcome));
        figures["POST /Users"] = byRoute.GetValueOrDefault("POST /Users")
            - _atlassian.Counters.Count("POST /Users", RequestOutcome.Throttled);
        return figures;
    }

    private static JsonObject Figures(Dictionary<string, long> figures) =>
        new(figures.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value)));

    /// <summary>2,000 users in 20 assigned groups (two each), one group nested in another, all reached through groups.</summary>
    private static (DirectorySeed Seed, IReadOnlyList<string> Users, IReadOnlyList<string> Groups) Tenant()
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(Users);
        var groups = new List<string>();
        for (var g = 0; g < Groups; g++)
        {
            var members = users.Where((_, i) => i % Groups == g || (i * 7) % Groups == g);
            groups.Add(seed.AddGroup($"Team {g:D2}", members));
        }

        var everyone = seed.AddGroup("All teams", [groups[0], groups[1]]);
        foreach (var group in groups.Append(everyone))
        {
            seed.Assign(group, ObjectType.Group);
        }

        return (seed.Build(), users, groups);
    }
}
