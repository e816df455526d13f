using System.Diagnostics;
using System.Globalization;
using ScimSync.Core.Cycle;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Faults;

namespace ScimSync.Bench.Sync;

/// <summary>
/// The whole-system benchmark: each scenario starts its own Azurite and emulators, seeds the synthetic tenant, runs
/// the real cycle and the in-process queue worker over real queues, tables and HTTP, and prints what it cost.
/// BenchmarkDotNet does not fit here: one run takes minutes and changes the state the next would start from.
/// </summary>
internal static class SyncBenchmark
{
    /// <summary>Entra's initial-cycle estimate for Sync Assigned (STAT): 0.01 to 0.08 minutes per user, group and member.</summary>
    private const double EntraMinutesPerObjectMin = 0.01;
    private const double EntraMinutesPerObjectMax = 0.08;

    /// <summary>Entra's published incremental-cycle time for tenants of up to 100,000 objects (STAT-2023): under 30 minutes.</summary>
    private static readonly TimeSpan EntraIncremental = TimeSpan.FromMinutes(30);

    /// <summary>Members added or removed in one PATCH (the Atlassian profile's batch size).</summary>
    private const int MemberBatchSize = 100;

    public static async Task<int> RunAsync(SyncBenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var requests = new HttpRequestCounter();
        output.WriteLine($"Machine: {Environment.ProcessorCount} logical processors, {Environment.OSVersion}, .NET {Environment.Version}; load average before the run: {LoadAverage()}");
        var failed = false;
        BenchEnvironment? previous = null;
        try
        {
            foreach (var scenario in options.Scenarios)
            {
                // An incremental or no-op scenario right after a sync of the same tenant continues on its state
                // instead of syncing the tenant again first.
                var carried = scenario is SyncScenario.Incremental or SyncScenario.NoOp
                    && previous is { } last && last.Tenant.Users.Count == options.UsersFor(scenario)
                    && last.Tenant.Groups.Count == options.GroupsFor(scenario) && last.Tenant.Memberships == options.MembershipsFor(scenario);
                if (!carried && previous is not null)
                {
                    await previous.DisposeAsync();
                    previous = null;
                }

                var (result, environment) = await RunScenarioAsync(scenario, options, requests, output, carried ? previous : null, cancellationToken);
                previous = environment;
                output.WriteLine();
                output.Write(result.Table);
                output.WriteLine();
                failed |= !result.Succeeded;
            }
        }
        finally
        {
            if (previous is not null)
            {
                await previous.DisposeAsync();
            }
        }

        output.WriteLine($"Load average after the run: {LoadAverage()}");
        return failed ? 1 : 0;
    }

    private sealed record ScenarioResult(string Table, bool Succeeded);

    private static async Task<(ScenarioResult Result, BenchEnvironment Environment)> RunScenarioAsync(
        SyncScenario scenario, SyncBenchOptions options, HttpRequestCounter requests, TextWriter output, BenchEnvironment? carried, CancellationToken cancellationToken)
    {
        var setup = Stopwatch.StartNew();
        var environment = carried;
        if (environment is null)
        {
            var (users, groups, memberships) = (options.UsersFor(scenario), options.GroupsFor(scenario), options.MembershipsFor(scenario));
            var tenant = SyntheticTenant.Build(users, groups, memberships, options.RandomSeed);

            // The large cycle is about the engine's memory: its Graph tenant is served from a process of its own.
            GraphEmulatorProcess? graphProcess = null;
            if (scenario == SyncScenario.Cycle)
            {
                graphProcess = await GraphEmulatorProcess.StartAsync(users, groups, memberships, options.RandomSeed, cancellationToken);
                tenant = tenant.WithoutSeed();
            }

            try
            {
                environment = await BenchEnvironment.StartAsync(
                    tenant, options.Concurrency, options.RateFor(scenario), scenario == SyncScenario.Cycle ? 0 : options.QueueDepth,
                    options.ItemsPerMessage, options.MaxHeld, options.AzuriteStore, graphProcess, cancellationToken);
            }
            catch when (graphProcess is not null)
            {
                await graphProcess.DisposeAsync();
                throw;
            }

            output.WriteLine($"[{Name(scenario)}] {tenant.Users.Count:N0} users, {tenant.Groups.Count:N0} groups, {tenant.Memberships:N0} memberships; Azurite {AzuriteStores.Describe(options.AzuriteStore)}; started in {setup.Elapsed.TotalSeconds:0.0} s");
        }
        else
        {
            output.WriteLine($"[{Name(scenario)}] continues on the previous scenario's tenant, target and state");
        }

        try
        {
            return (await MeasureAsync(scenario, options, requests, output, environment, setUp: carried is not null, cancellationToken), environment);
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    private static async Task<ScenarioResult> MeasureAsync(
        SyncScenario scenario, SyncBenchOptions options, HttpRequestCounter requests, TextWriter output, BenchEnvironment environment, bool setUp, CancellationToken cancellationToken)
    {
        var tenant = environment.Tenant;
        var rate = environment.RequestsPerSecond;
        var changedUsers = 0;
        var touchedGroups = 0;
        var membershipChanges = 0;
        if (scenario is SyncScenario.Incremental or SyncScenario.NoOp)
        {
            if (!setUp)
            {
                // The setup sync runs without latency or limit: it only brings the target to the tenant's state.
                var initial = Stopwatch.StartNew();
                environment.ShapeTarget(TimeSpan.Zero, null);
                var (report, _, totals) = await environment.SyncAsync(drain: true, cycleEnded: null, cancellationToken);
                output.WriteLine($"[{Name(scenario)}] setup sync: {report.Status}, {report.Enqueued:N0} items, {totals.Succeeded:N0} succeeded, in {initial.Elapsed.TotalSeconds:0.0} s");
            }

            if (scenario == SyncScenario.Incremental)
            {
                (changedUsers, membershipChanges, touchedGroups) = Change(environment, tenant, options);
            }
        }

        environment.ShapeTarget(options.Latency, rate);
        environment.Atlassian.Counters.Reset();
        environment.Atlassian.Lists.Reset();
        var usersBefore = environment.Atlassian.State.LiveUsers.Count;
        var groupsBefore = environment.Atlassian.State.Groups.Count;
        long Table() => requests.Count(environment.TablePort);
        long Queue() => requests.Count(environment.QueuePort);
        long Graph() => requests.Count(environment.GraphPort);
        var (table0, queue0, graph0) = (Table(), Queue(), Graph());

        await using var memory = WorkingSetSampler.Start();
        requests.ResetWindows();
        var storage0 = Storage(requests, environment);
        var (time0, count0) = (Times(requests, environment), Counts(requests, environment));
        var started = DateTime.UtcNow;
        var (tablesCpu0, queuesCpu0, ownCpu0, graphCpu0) = (environment.Tables.ProcessorTime, environment.Queues.ProcessorTime, Process.GetCurrentProcess().TotalProcessorTime, environment.GraphProcess?.ProcessorTime);
        var clock = Stopwatch.StartNew();
        // The drain runs alongside the cycle, as in every host; the split below is at the moment the cycle ended.
        var (graphWindow, sendWindow) = (TimeSpan.Zero, TimeSpan.Zero);
        var (table1, queue1) = (0L, 0L);
        var (cycle, cycleTime, drain) = await environment.SyncAsync(drain: scenario != SyncScenario.Cycle, () =>
        {
            (graphWindow, sendWindow) = (requests.Window(environment.GraphPort), requests.Window(environment.QueuePort));
            (table1, queue1) = (Table(), Queue());
        }, cancellationToken);
        var wall = clock.Elapsed;
        var (table2, queue2) = (Table(), Queue());
        var storage2 = Storage(requests, environment);
        var (peak, peakHeap, fullCollections) = (memory.Peak, memory.PeakHeap, memory.FullCollections);
        var (tablesCpu, queuesCpu, ownCpu, graphCpu) = (environment.Tables.ProcessorTime - tablesCpu0, environment.Queues.ProcessorTime - queuesCpu0, Process.GetCurrentProcess().TotalProcessorTime - ownCpu0, environment.GraphProcess?.ProcessorTime - graphCpu0);
        var graphRequests = Graph() - graph0;

        var scim = environment.Atlassian.Counters.Snapshot();
        long Scim(string method) => scim.Where(route => route.Key.StartsWith(method + " ", StringComparison.OrdinalIgnoreCase)).Sum(route => route.Value.Values.Sum());
        var scimTotal = scim.Sum(route => route.Value.Values.Sum());
        var throttled = environment.Atlassian.Counters.Count(RequestOutcome.Throttled);
        var state = environment.Atlassian.State;
        var liveUsers = state.LiveUsers;
        var groups = state.Groups;
        var created = liveUsers.Count - usersBefore + groups.Count - groupsBefore;
        var targetMemberships = groups.Sum(group => (long)group.Members.Count);

        var fewest = scenario switch
        {
            SyncScenario.Initial or SyncScenario.Unthrottled =>
                tenant.Users.Count + tenant.Groups.Count + tenant.GroupSizes.Sum(size => (long)((size + MemberBatchSize - 1) / MemberBatchSize)),
            SyncScenario.Incremental => changedUsers + touchedGroups,
            _ => 0L,
        };
        var floor = Floor(fewest, rate, options.Latency, options.Concurrency);
        var objects = tenant.Users.Count + tenant.Groups.Count + tenant.Memberships;

        var rows = new List<(string, string)>
        {
            ("tenant", $"{tenant.Users.Count:N0} users, {tenant.Groups.Count:N0} groups, {tenant.Memberships:N0} memberships (largest group {tenant.GroupSizes.DefaultIfEmpty().Max():N0}, median {Median(tenant.GroupSizes):N0})"),
            ("target", $"{(rate is { } r ? $"{r:N0} requests/s" : "no rate limit")}, {options.Latency.TotalMilliseconds:0} ms latency; job maxConcurrency {options.Concurrency}"),
            ("cycle", $"{cycle.Status}: {cycle.UsersRead:N0} users and {cycle.GroupsRead:N0} groups read, {cycle.Enqueued:N0} work items enqueued in {Seconds(cycleTime)} ({PerSecond(cycle.Enqueued, cycleTime)} items/s; Graph reads span {Seconds(graphWindow)}, queue sends {Seconds(sendWindow)})"),
        };
        if (scenario != SyncScenario.Cycle)
        {
            rows.Add(("drain", $"{drain.Succeeded:N0} succeeded, {drain.Skipped:N0} skipped, {drain.Failed:N0} failed, {drain.RetryLater:N0} retried later, {drain.DeadLettered:N0} dead-lettered"));
        }

        rows.Add(("wall time", Seconds(wall)));
        rows.Add(scenario switch
        {
            SyncScenario.Initial or SyncScenario.Unthrottled => ("objects/s", $"{PerSecond(objects, wall)} (users + groups + memberships)"),
            SyncScenario.Incremental => ("objects/s", $"{PerSecond(changedUsers + membershipChanges, wall)} ({changedUsers} changed users + {membershipChanges} membership changes)"),
            SyncScenario.Cycle => ("objects/s", $"{PerSecond(cycle.UsersRead + cycle.GroupsRead, wall)} read; {PerSecond(cycle.Enqueued, wall)} work items enqueued/s"),
            _ => ("objects/s", "-"),
        });
        var lists = environment.Atlassian.Lists;
        rows.Add(("SCIM requests", $"{scimTotal:N0}: GET {Scim("GET"):N0} ({lists.UserLookups + lists.GroupLookups:N0} lookups, {lists.UserPages + lists.GroupPages:N0} list pages), POST {Scim("POST"):N0}, PATCH {Scim("PATCH"):N0}, PUT {Scim("PUT"):N0}, DELETE {Scim("DELETE"):N0}; {throttled:N0} answered 429{(scenario == SyncScenario.Cycle ? "" : $"; {PerSecond(scimTotal, requests.Window(environment.Atlassian.Port))} requests/s from the first to the last")}"));
        rows.Add(("SCIM requests over the run (s after it started)", Phases(requests, environment.Atlassian.Port, started)));
        rows.Add(("SCIM requests per created object", created > 0
            ? $"{(double)scimTotal / created:0.000} ({created:N0} created); user GET + POST per created user {(double)(Count(scim, "GET /Users") + Count(scim, "POST /Users")) / Math.Max(1, liveUsers.Count - usersBefore):0.000}"
            : "- (nothing created)"));
        rows.Add(("Graph requests", $"{graphRequests:N0}"));
        var items = Math.Max(1, cycle.Enqueued);
        rows.Add(("Table requests", $"{table2 - table0:N0} (until the cycle ended {table1 - table0:N0}, after {table2 - table1:N0})"));
        rows.Add(("queue requests", $"{queue2 - queue0:N0} (until the cycle ended {queue1 - queue0:N0}, after {queue2 - queue1:N0})"));
        rows.Add(("storage requests per work item", cycle.Enqueued > 0
            ? $"{(double)(table2 - table0 + queue2 - queue0) / items:0.00} (until the cycle ended {(double)(table1 - table0 + queue1 - queue0) / items:0.00}, after {(double)(table2 - table1 + queue2 - queue1) / items:0.00})"
            : $"- (no work items; {table2 - table0 + queue2 - queue0:N0} in all)"));
        if (scenario != SyncScenario.Cycle && cycle.Enqueued > 0)
        {
            var perItem = storage2
                .Select(pair => (pair.Key, Count: pair.Value - storage0.GetValueOrDefault(pair.Key)))
                .Where(pair => pair.Count > 0)
                .OrderByDescending(pair => pair.Count).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => $"{pair.Key} {(double)pair.Count / items:0.00}");
            rows.Add(("storage requests per work item, by request", string.Join("; ", perItem)));
            var counts = Counts(requests, environment);
            var spent = Times(requests, environment)
                .Select(pair => (pair.Key, Time: pair.Value - time0.GetValueOrDefault(pair.Key), Count: counts.GetValueOrDefault(pair.Key) - count0.GetValueOrDefault(pair.Key)))
                .Where(pair => pair.Count > 0)
                .OrderByDescending(pair => pair.Time).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Take(8)
                .Select(pair => $"{pair.Key} {pair.Time.TotalMilliseconds / items:0.0} ({pair.Time.TotalMilliseconds / pair.Count:0.0} a request)");
            rows.Add(("time in requests per work item (ms), by request", string.Join("; ", spent)));
        }

        rows.Add(("processor time", (environment.Tables == environment.Queues
            ? $"Azurite {Seconds(tablesCpu)} (tables and queue)"
            : $"Azurite tables {Seconds(tablesCpu)}, Azurite queue {Seconds(queuesCpu)}")
            + (graphCpu is { } served
                ? $", this process (the engine and the Atlassian emulator) {Seconds(ownCpu)}, the Graph emulator's {Seconds(served)}"
                : $", this process (engine and emulators) {Seconds(ownCpu)}")
            + $", in {Seconds(wall)} on {Environment.ProcessorCount} processors; an Azurite is one thread"));
        var measured = environment.GraphProcess is null ? "process, emulators included" : "this process: the engine and the Atlassian emulator, not the Graph emulator and its tenant";
        rows.Add(("peak working set", $"{Megabytes(peak)} ({measured}; {Megabytes(memory.Baseline)} before the cycle, so +{Megabytes(Math.Max(0, peak - memory.Baseline))} during it); managed heap at most {Megabytes(peakHeap)} after a collection, {fullCollections} full collections"));
        rows.Add(("target holds", $"{liveUsers.Count(user => user.Active):N0} active users, {groups.Count:N0} groups, {targetMemberships:N0} memberships"));
        rows.Add(("physical limit", fewest > 0
            ? $"{fewest:N0} SCIM requests at the fewest -> {Seconds(floor)}; measured / limit = {wall / floor:0.00}"
            : "- (no SCIM request needed)"));
        rows.Add(("Entra's estimate", scenario switch
        {
            SyncScenario.Initial or SyncScenario.Unthrottled =>
                $"{objects * EntraMinutesPerObjectMin:N0}-{objects * EntraMinutesPerObjectMax:N0} min for {objects:N0} objects; measured / Entra's lower bound = {wall.TotalMinutes / (objects * EntraMinutesPerObjectMin):0.0000}",
            SyncScenario.Incremental or SyncScenario.NoOp =>
                $"under {EntraIncremental.TotalMinutes:0} min per incremental cycle, every ~40 min; measured / 30 min = {wall / EntraIncremental:0.0000}",
            _ => "- (Entra publishes no figure for the read alone)",
        }));

        var succeeded = cycle.Status == CycleStatus.Completed && drain.Failed == 0 && drain.DeadLettered == 0 && drain.Unauthorized == 0;
        return new ScenarioResult(Markdown(Name(scenario), rows), succeeded);
    }

    /// <summary>Changes users' job titles and adds or removes memberships in the Graph tenant, as an admin would.</summary>
    private static (int ChangedUsers, int MembershipChanges, int TouchedGroups) Change(BenchEnvironment environment, SyntheticTenant tenant, SyncBenchOptions options)
    {
        var random = new Random(options.RandomSeed + 1);
        var graph = (environment.Graph ?? throw new InvalidOperationException("Changing the tenant needs the Graph emulator in this process.")).Tenant;
        var changed = tenant.Users.OrderBy(_ => random.Next()).Take(options.ChangedUsers).ToList();
        foreach (var user in changed)
        {
            graph.UpdateUser(user, "jobTitle", "Changed for the benchmark");
        }

        var touched = new HashSet<string>(StringComparer.Ordinal);
        var changes = 0;
        for (var attempt = 0; changes < options.MembershipChanges && tenant.Groups.Count > 0 && attempt < options.MembershipChanges * 100; attempt++)
        {
            var group = tenant.Groups[random.Next(tenant.Groups.Count)];
            var user = tenant.Users[random.Next(tenant.Users.Count)];
            // Alternate adds and removes; a remove draws a group's existing member.
            var done = changes % 2 == 0
                ? graph.AddMember(group, user)
                : graph.Snapshot().Groups.First(g => g.Id == group).MemberIds is [var member, ..] && graph.RemoveMember(group, member);
            if (done)
            {
                changes++;
                touched.Add(group);
            }
        }

        return (changed.Count, changes, touched.Count);
    }

    /// <summary>From when the first request of each method to the target started to when the last ended: when the creates, the membership PATCHes and the rest ran.</summary>
    private static string Phases(HttpRequestCounter requests, int port, DateTime started)
    {
        var phases = ((string[])["GET", "POST", "PATCH", "PUT", "DELETE"])
            .Select(method => (Method: method, Window: requests.Window(port, method)))
            .Where(phase => phase.Window is not null)
            .Select(phase => $"{phase.Method} {(phase.Window!.Value.First - started).TotalSeconds:0.0} to {(phase.Window.Value.Last - started).TotalSeconds:0.0}")
            .ToList();
        return phases.Count == 0 ? "- (none)" : string.Join("; ", phases);
    }

    /// <summary>Time in requests so far by <c>"METHOD resource"</c>: SCIM, table and queue together.</summary>
    private static Dictionary<string, TimeSpan> Times(HttpRequestCounter requests, BenchEnvironment environment) =>
        requests.Times(environment.Atlassian.Port).Select(pair => ("SCIM " + pair.Key, pair.Value))
            .Concat(requests.Times(environment.TablePort).Select(pair => ("table " + pair.Key, pair.Value)))
            .Concat(requests.Times(environment.QueuePort).Select(pair => ("queue " + pair.Key, pair.Value)))
            .ToDictionary(pair => pair.Item1, pair => pair.Item2, StringComparer.Ordinal);

    /// <summary>Requests so far by <c>"METHOD resource"</c>: SCIM, table and queue together.</summary>
    private static Dictionary<string, long> Counts(HttpRequestCounter requests, BenchEnvironment environment) =>
        requests.Snapshot(environment.Atlassian.Port).Select(pair => ("SCIM " + pair.Key, pair.Value))
            .Concat(Storage(requests, environment).Select(pair => (pair.Key, pair.Value)))
            .ToDictionary(pair => pair.Item1, pair => pair.Item2, StringComparer.Ordinal);

    /// <summary>Storage requests so far by <c>"METHOD resource"</c>, table and queue together.</summary>
    private static Dictionary<string, long> Storage(HttpRequestCounter requests, BenchEnvironment environment) =>
        requests.Snapshot(environment.TablePort).Select(pair => ("table " + pair.Key, pair.Value))
            .Concat(requests.Snapshot(environment.QueuePort).Select(pair => ("queue " + pair.Key, pair.Value)))
            .ToDictionary(pair => pair.Item1, pair => pair.Item2, StringComparer.Ordinal);

    private static TimeSpan Floor(long requests, int? rate, TimeSpan latency, int concurrency)
    {
        var byRate = rate is { } perSecond ? TimeSpan.FromSeconds((double)requests / perSecond) : TimeSpan.Zero;
        var byLatency = latency * ((double)requests / concurrency);
        return byRate > byLatency ? byRate : byLatency;
    }

    private static long Count(IReadOnlyDictionary<string, IReadOnlyDictionary<RequestOutcome, long>> scim, string route) =>
        scim.TryGetValue(route, out var outcomes) ? outcomes.Values.Sum() : 0;

    private static int Median(IReadOnlyList<int> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);

    private static string Name(SyncScenario scenario) => scenario.ToString().ToLowerInvariant();

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds:0.0} s";

    private static string PerSecond(long count, TimeSpan time) => time > TimeSpan.Zero ? $"{count / time.TotalSeconds:N0}" : "-";

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):N0} MB";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static string Markdown(string title, IReadOnlyList<(string Measure, string Value)> rows)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.WriteLine($"| {title} | |");
        writer.WriteLine("|---|---|");
        foreach (var (measure, value) in rows)
        {
            writer.WriteLine($"| {measure} | {value.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        return writer.ToString();
    }
}
