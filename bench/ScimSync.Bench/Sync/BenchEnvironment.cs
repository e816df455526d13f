using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimSync.Core;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Azurite;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph;

namespace ScimSync.Bench.Sync;

/// <summary>
/// Everything one scenario runs on, on loopback: Azurite (in memory), the Graph emulator serving the synthetic tenant
/// (in this process, or in one of its own), the Atlassian emulator with the scenario's latency and rate limit, and the
/// engine composed as every host composes it (<c>AddScimSyncEngine</c>) over a job file that points at the two emulators.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    public static readonly JobId Job = new("bench");
    private const string TokenSetting = "BenchScimToken";

    private readonly DirectoryInfo _workspace;

    private BenchEnvironment(
        SyntheticTenant tenant, int? requestsPerSecond, AzuriteProcess tables, AzuriteProcess queues, GraphEmulator? graph, GraphEmulatorProcess? graphProcess,
        AtlassianScimEmulator atlassian, ServiceProvider services, DirectoryInfo workspace)
    {
        Tenant = tenant;
        RequestsPerSecond = requestsPerSecond;
        Tables = tables;
        Queues = queues;
        Graph = graph;
        GraphProcess = graphProcess;
        GraphPort = graph?.Port ?? graphProcess!.Port;
        Atlassian = atlassian;
        Services = services;
        _workspace = workspace;
    }

    public SyntheticTenant Tenant { get; }

    /// <summary>The rate the job is configured with (and the target admits when shaped); null for no limit.</summary>
    public int? RequestsPerSecond { get; }

    /// <summary>The Azurite whose Table service holds the engine's state.</summary>
    public AzuriteProcess Tables { get; }

    /// <summary>The Azurite whose Queue service holds the work queue: the same as <see cref="Tables"/> unless the store is split.</summary>
    public AzuriteProcess Queues { get; }

    public int TablePort => Tables.TablePort;

    public int QueuePort => Queues.QueuePort;

    /// <summary>The Graph emulator, when it runs in this process; null when it runs in <see cref="GraphProcess"/>.</summary>
    public GraphEmulator? Graph { get; }

    public GraphEmulatorProcess? GraphProcess { get; }

    public int GraphPort { get; }

    public AtlassianScimEmulator Atlassian { get; }

    public ServiceProvider Services { get; }

    public static async Task<BenchEnvironment> StartAsync(
        SyntheticTenant tenant, int concurrency, int? engineRequestsPerSecond, int? queueDepth, int? itemsPerMessage, int? maxHeld, AzuriteStore store,
        GraphEmulatorProcess? graphProcess, CancellationToken cancellationToken)
    {
        var modules = NodeTooling.FindNodeModules(Directory.GetCurrentDirectory());
        var tables = await AzuriteProcess.StartAsync(modules, persistent: store == AzuriteStore.Disk, cancellationToken: cancellationToken);
        var queues = store == AzuriteStore.Split ? await AzuriteProcess.StartAsync(modules, persistent: true, cancellationToken: cancellationToken) : tables;
        var graph = graphProcess is null ? await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = tenant.Seed ?? throw new ArgumentException("The tenant has no seed to start the Graph emulator with.", nameof(tenant)), AllowAnonymous = true }, cancellationToken) : null;
        var atlassian = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { Faults = new FaultSettings() }, cancellationToken);
        var workspace = Directory.CreateTempSubdirectory("scimsync-bench-");
        var jobsFile = Path.Combine(workspace.FullName, "jobs.json");
        await File.WriteAllTextAsync(jobsFile, JobFile(graph?.BaseUrl ?? graphProcess!.BaseUrl, graph?.Tenant.ServicePrincipal.Id ?? graphProcess!.ServicePrincipalId, atlassian, concurrency, engineRequestsPerSecond), cancellationToken);

        var settings = new Dictionary<string, string?>
        {
            [ScimSyncCoreServiceCollectionExtensions.JobsFileSetting] = jobsFile,
            ["ScimSync:State:ConnectionString"] = tables.ConnectionString,
            ["ScimSync:Queue:ConnectionString"] = queues.ConnectionString,
            ["ScimSync:Queue:QueueName"] = "scimsync-bench",
            [TokenSetting] = atlassian.ApiKey,
        };
        if (queueDepth is { } depth)
        {
            // Only when given: a setting present without a value binds as 0, which sends everything at once.
            settings["ScimSync:Cycle:MaxQueueDepth"] = depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (maxHeld is { } held)
        {
            settings["ScimSync:Cycle:MaxHeldObjects"] = held.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (itemsPerMessage is { } perMessage)
        {
            settings["ScimSync:Queue:ItemsPerMessage"] = perMessage.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new EngineWarnings()));
        services.AddScimSyncEngine(configuration);
        return new BenchEnvironment(tenant, engineRequestsPerSecond, tables, queues, graph, graphProcess, atlassian, services.BuildServiceProvider(), workspace);
    }

    /// <summary>The target's latency and rate limit, set after any setup sync so that only the measured run pays them.</summary>
    public void ShapeTarget(TimeSpan latency, int? requestsPerSecond)
    {
        Atlassian.Faults.Latency = latency;
        Atlassian.Faults.RequestsPerSecond = requestsPerSecond;
    }

    /// <summary>
    /// One cycle, or with <paramref name="drain"/> one sync as <c>scimsync sync</c> runs it (the job file's concurrency is
    /// the benchmark's); <paramref name="cycleEnded"/> runs the moment the cycle ends.
    /// </summary>
    /// <returns>The cycle's report, when the cycle ended, and the drain's totals.</returns>
    public async Task<(CycleReport Cycle, TimeSpan CycleTime, WorkerTotals Totals)> SyncAsync(bool drain, Action? cycleEnded, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cycleTime = TimeSpan.Zero;
        void Ended()
        {
            cycleTime = clock.Elapsed;
            cycleEnded?.Invoke();
        }

        if (!drain)
        {
            var report = await Services.GetRequiredService<SyncCycleRunner>().RunAsync(Job, CycleOptions.Default, cancellationToken);
            Ended();
            return (report, cycleTime, new WorkerTotals(0, 0, 0, 0, 0, 0));
        }

        var synced = await Services.GetRequiredService<InProcessSyncRunner>().RunAsync(Job, _ => Ended(), cancellationToken: cancellationToken);
        return (synced.Report, cycleTime, synced.Totals);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Atlassian.DisposeAsync();
        if (Graph is not null)
        {
            await Graph.DisposeAsync();
        }

        if (GraphProcess is not null)
        {
            await GraphProcess.DisposeAsync();
        }

        await Tables.DisposeAsync();
        if (Queues != Tables)
        {
            await Queues.DisposeAsync();
        }

        _workspace.Delete(recursive: true);
    }

    private static string JobFile(string graphUrl, string servicePrincipalId, AtlassianScimEmulator atlassian, int concurrency, int? requestsPerSecond) =>
        new JsonObject
        {
            ["jobs"] = new JsonArray(new JsonObject
            {
                ["id"] = Job.Value,
                ["displayName"] = "Synthetic tenant -> Atlassian emulator",
                ["source"] = new JsonObject { ["baseUrl"] = graphUrl, ["credential"] = "Anonymous" },
                ["target"] = new JsonObject
                {
                    ["profile"] = "atlassian-cloud",
                    ["baseUrl"] = atlassian.BaseUrl,
                    ["tokenSetting"] = TokenSetting,
                    ["verifiedDomains"] = new JsonArray("contoso.com"),
                    ["allowInsecureLoopback"] = true,
                    // The job is told the target's limit, as an admin would configure it; with no limit, the highest
                    // the job file accepts, so that latency and concurrency bound the rate.
                    ["requestsPerSecond"] = requestsPerSecond ?? 1_000,
                },
                ["scope"] = new JsonObject
                {
                    ["mode"] = "assigned",
                    ["servicePrincipalId"] = servicePrincipalId,
                },
                // A benchmark tenant is generated whole; the deletion guard and schedule play no part.
                ["policy"] = new JsonObject { ["interval"] = "00:05:00", ["maxConcurrency"] = concurrency },
            }),
        }.ToJsonString();
}
