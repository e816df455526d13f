using System.Globalization;

namespace ScimSync.Bench.Sync;

/// <summary>The measured scenarios of the sync benchmark.</summary>
internal enum SyncScenario
{
    /// <summary>An initial cycle into an empty target behind a rate limit, then the queue drained.</summary>
    Initial,

    /// <summary>The same with no rate limit at the target (latency stays).</summary>
    Unthrottled,

    /// <summary>After an initial sync, some changed users and membership changes: one incremental cycle and its drain.</summary>
    Incremental,

    /// <summary>After an initial sync, a cycle with nothing changed.</summary>
    NoOp,

    /// <summary>An initial cycle of a large tenant: read, scope and enqueue only, nothing drained.</summary>
    Cycle,
}

/// <summary>The sync benchmark's command-line options.</summary>
internal sealed record SyncBenchOptions
{
    public const int DefaultUsers = 10_000;
    public const int DefaultCycleUsers = 100_000;

    public IReadOnlyList<SyncScenario> Scenarios { get; init; } = [SyncScenario.Initial];

    /// <summary>Users in the tenant; null means each scenario's default.</summary>
    public int? Users { get; init; }

    /// <summary>Groups; null means one per 20 users.</summary>
    public int? Groups { get; init; }

    /// <summary>Membership edges; null means five per user.</summary>
    public long? Memberships { get; init; }

    /// <summary>Requests per second the target admits (and the job is configured with), for rate-limited scenarios.</summary>
    public int Rate { get; init; } = 100;

    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The job's <c>policy.maxConcurrency</c>: work items handled at once.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>The engine's <c>ScimSync:Cycle:MaxQueueDepth</c>; null for its default. The cycle scenario, with no worker, sends at once.</summary>
    public int? QueueDepth { get; init; }

    /// <summary>The engine's <c>ScimSync:Cycle:MaxHeldObjects</c>; null for its default.</summary>
    public int? MaxHeld { get; init; }

    /// <summary>The engine's <c>ScimSync:Queue:ItemsPerMessage</c>; null for its default.</summary>
    public int? ItemsPerMessage { get; init; }

    /// <summary>Where Azurite keeps its data.</summary>
    public AzuriteStore AzuriteStore { get; init; } = AzuriteStore.Split;

    public int ChangedUsers { get; init; } = 100;

    public int MembershipChanges { get; init; } = 20;

    public int RandomSeed { get; init; } = 1;

    public int UsersFor(SyncScenario scenario) => Users ?? (scenario == SyncScenario.Cycle ? DefaultCycleUsers : DefaultUsers);

    public int GroupsFor(SyncScenario scenario) => Groups ?? Math.Max(1, UsersFor(scenario) / 20);

    public long MembershipsFor(SyncScenario scenario) =>
        Math.Min(Memberships ?? 5L * UsersFor(scenario), (long)UsersFor(scenario) * GroupsFor(scenario));

    /// <summary>The target's rate limit in a scenario; null for none.</summary>
    public int? RateFor(SyncScenario scenario) => scenario == SyncScenario.Unthrottled || Rate <= 0 ? null : Rate;

    public const string Usage =
        """
        usage: dotnet run -c Release --project bench/ScimSync.Bench -- sync [options]

        Starts Azurite (from node_modules), the Graph emulator with a seeded synthetic tenant and the Atlassian emulator,
        all on loopback, runs the engine as a host does, and prints one table per scenario.

          --scenario <list>        initial, unthrottled, incremental, noop, cycle or all; comma-separated (default: initial)
          --users <n>              users in the tenant (default: 10,000; cycle: 100,000)
          --groups <n>             groups (default: users / 20)
          --memberships <n>        membership edges (default: users x 5)
          --rate <n>               requests per second the target admits; 0 for none (default: 100)
          --latency-ms <n>         latency the target adds to every answer (default: 20)
          --concurrency <n>        the job's maxConcurrency, 1 to 64 (default: 16)
          --queue-depth <n>        messages the cycle keeps queued ahead of the workers; 0 sends all at once (default: the engine's)
          --items-per-message <n>  work items one queue message carries, 1 to 32 (default: the engine's)
          --max-held <n>           objects with work the cycle holds while it reads before it sends users ahead; 0
                                   holds the whole plan (default: the engine's)
          --azurite-store <s>      memory, disk, or split (tables in memory, the queue on disk): where Azurite keeps
                                   its data (default: split)
          --changed-users <n>      users changed before the incremental cycle (default: 100)
          --membership-changes <n> memberships added or removed before the incremental cycle (default: 20)
          --seed <n>               seed of the synthetic tenant and the changes (default: 1)
        """;

    /// <summary>Parses the options; throws <see cref="ArgumentException"/> with the option's name on a bad value.</summary>
    public static SyncBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SyncBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name}: a value is missing.");
            int Number(int min, int max)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                    ? value
                    : throw new ArgumentException($"{name}: use a whole number from {min:N0} to {max:N0}; got '{text}'.");
            }

            options = name switch
            {
                "--scenario" => options with { Scenarios = ParseScenarios(name, Value()) },
                "--users" => options with { Users = Number(1, 1_000_000) },
                "--groups" => options with { Groups = Number(0, 100_000) },
                "--memberships" => options with { Memberships = Number(0, 10_000_000) },
                "--rate" => options with { Rate = Number(0, 100_000) },
                "--latency-ms" => options with { Latency = TimeSpan.FromMilliseconds(Number(0, 10_000)) },
                "--concurrency" => options with { Concurrency = Number(1, 64) },
                "--queue-depth" => options with { QueueDepth = Number(0, 1_000_000) },
                "--items-per-message" => options with { ItemsPerMessage = Number(1, 32) },
                "--max-held" => options with { MaxHeld = Number(0, 10_000_000) },
                "--azurite-store" => options with { AzuriteStore = ParseStore(name, Value()) },
                "--changed-users" => options with { ChangedUsers = Number(0, 1_000_000) },
                "--membership-changes" => options with { MembershipChanges = Number(0, 1_000_000) },
                "--seed" => options with { RandomSeed = Number(0, int.MaxValue) },
                _ => throw new ArgumentException($"{name}: unknown option."),
            };
        }

        return options;
    }

    private static AzuriteStore ParseStore(string name, string value) => value.ToLowerInvariant() switch
    {
        "memory" => AzuriteStore.Memory,
        "disk" => AzuriteStore.Disk,
        "split" => AzuriteStore.Split,
        _ => throw new ArgumentException($"{name}: use memory, disk or split; got '{value}'."),
    };

    private static SyncScenario[] ParseScenarios(string name, string value)
    {
        var all = new[] { SyncScenario.Initial, SyncScenario.Unthrottled, SyncScenario.Incremental, SyncScenario.NoOp, SyncScenario.Cycle };
        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(text => text.ToLowerInvariant() switch
            {
                "all" => all,
                "initial" => [SyncScenario.Initial],
                "unthrottled" => [SyncScenario.Unthrottled],
                "incremental" => [SyncScenario.Incremental],
                "noop" or "no-op" => [SyncScenario.NoOp],
                "cycle" => [SyncScenario.Cycle],
                _ => throw new ArgumentException($"{name}: use initial, unthrottled, incremental, noop, cycle or all; got '{text}'."),
            })
            .Distinct()
            .ToArray();
    }
}
