using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ScimSync.Core;
using ScimSync.Core.Admin;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Cycle;

/// <summary>Real time shifted by an offset a test can move forward, so schedules become due without waiting.</summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Offset += by;
}

/// <summary>What a test changes about the harness's job and services.</summary>
internal sealed record CycleHarnessOptions
{
    public JsonObject Policy { get; init; } = new() { ["interval"] = "00:01:00", ["quarantineInterval"] = "00:10:00" };

    public bool FlattenNestedGroups { get; init; } = true;

    /// <summary>The job's scoping filters (<c>scope.filters</c>), if any.</summary>
    public JsonArray? ScopeFilters { get; init; }

    /// <summary>The SCIM base URL; a closed loopback port when the test never reaches the target.</summary>
    public string TargetBaseUrl { get; init; } = "http://127.0.0.1:9/scim/directory/test";

    public string Token { get; init; } = "test-token";

    /// <summary>The job's <c>target.verifiedDomains</c>.</summary>
    public IReadOnlyList<string> VerifiedDomains { get; init; } = ["contoso.com"];

    public Func<IServiceProvider, IWorkItemSender, IWorkItemSender>? WrapSender { get; init; }

    public Action<IServiceCollection>? Configure { get; init; }

    /// <summary>More <c>target</c> settings of the job (e.g. <c>readBackCreates</c>).</summary>
    public JsonObject? TargetSettings { get; init; }

    /// <summary>More <c>source</c> settings of the job (e.g. <c>maxResponseMegabytes</c>).</summary>
    public JsonObject? SourceSettings { get; init; }

    /// <summary>The job's <c>mappings</c> section, if any; the profile's defaults otherwise.</summary>
    public JsonObject? Mappings { get; init; }

    /// <summary>Extra app settings, e.g. lower quarantine thresholds.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}

/// <summary>
/// A job wired as a host wires it (<c>AddScimSyncEngine</c>), reading the Graph emulator, with
/// state and queue in Azurite under names no other test uses.
/// </summary>
internal sealed class CycleHarness : IAsyncDisposable
{
    public static readonly JobId Job = new("cycle-test");

    private readonly string _jobFile;

    private CycleHarness(GraphEmulator graph, ServiceProvider services, string jobFile, ShiftedTimeProvider clock)
    {
        Graph = graph;
        Services = services;
        _jobFile = jobFile;
        Clock = clock;
    }

    public GraphEmulator Graph { get; }

    public ServiceProvider Services { get; }

    public ShiftedTimeProvider Clock { get; }

    /// <summary>The app settings; a test may change the SCIM token here, as an admin would fix the setting.</summary>
    public IConfigurationRoot Configuration { get; private init; } = null!;

    public SyncCycleRunner Runner => Services.GetRequiredService<SyncCycleRunner>();

    public JobControlService Admin => Services.GetRequiredService<JobControlService>();

    public JobStatusService Status => Services.GetRequiredService<JobStatusService>();

    public JobStateStore JobStates => Services.GetRequiredService<JobStateStore>();

    public ObjectStateStore Objects => Services.GetRequiredService<ObjectStateStore>();

    public IWorkQueue Queue => Services.GetRequiredService<IWorkQueue>();

    public static Task<CycleHarness> StartAsync(AzuriteFixture azurite, DirectorySeed seed, CycleHarnessOptions? options = null, GraphEmulatorOptions? graphOptions = null) =>
        StartAsync(azurite.ConnectionString, seed, options, graphOptions);

    /// <param name="storageConnectionString">The Azurite account that holds the job's tables and queue.</param>
    public static async Task<CycleHarness> StartAsync(string storageConnectionString, DirectorySeed seed, CycleHarnessOptions? options = null, GraphEmulatorOptions? graphOptions = null)
    {
        options ??= new CycleHarnessOptions();
        graphOptions ??= new GraphEmulatorOptions();
        graphOptions.Seed = seed;
        var graph = await GraphEmulator.StartAsync(graphOptions);
        var job = new JsonObject
        {
            ["id"] = Job.Value,
            ["displayName"] = "Cycle test",
            ["source"] = new JsonObject { ["baseUrl"] = graph.BaseUrl, ["credential"] = "StaticToken", ["retryDelaySeconds"] = 1 },
            ["sourceClientSecretSetting"] = "TestGraphToken",
            ["target"] = new JsonObject
            {
                ["profile"] = "atlassian-cloud",
                ["baseUrl"] = options.TargetBaseUrl,
                ["tokenSetting"] = "TestScimToken",
                ["allowInsecureLoopback"] = true,
                ["verifiedDomains"] = new JsonArray([.. options.VerifiedDomains.Select(domain => JsonValue.Create(domain))]),
            },
            ["scope"] = new JsonObject
            {
                ["mode"] = "assigned",
                ["servicePrincipalId"] = graph.Tenant.ServicePrincipal.Id,
                ["flattenNestedGroups"] = options.FlattenNestedGroups,
                ["filters"] = options.ScopeFilters?.DeepClone() ?? new JsonArray(),
            },
            ["policy"] = options.Policy.DeepClone(),
        };
        if (options.Mappings is { } mappings)
        {
            job["mappings"] = mappings.DeepClone();
        }

        foreach (var (name, value) in options.SourceSettings ?? [])
        {
            ((JsonObject)job["source"]!)[name] = value?.DeepClone();
        }

        foreach (var (name, value) in options.TargetSettings ?? [])
        {
            ((JsonObject)job["target"]!)[name] = value?.DeepClone();
        }

        var jobFile = Path.Combine(Path.GetTempPath(), $"scimsync-cycle-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(jobFile, new JsonObject { ["jobs"] = new JsonArray(job) }.ToJsonString());

        var unique = Guid.NewGuid().ToString("N")[..12];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ScimSyncCoreServiceCollectionExtensions.JobsFileSetting] = jobFile,
            ["ScimSync:State:ConnectionString"] = storageConnectionString,
            ["ScimSync:State:TablePrefix"] = "C" + unique,
            ["ScimSync:Queue:ConnectionString"] = storageConnectionString,
            ["ScimSync:Queue:QueueName"] = "cycle-" + unique,
            ["ScimSync:Worker:BaseRetryDelay"] = "00:00:01",
            ["ScimSync:Worker:MaxWaitForRetries"] = "00:00:05",
            // Most tests run a cycle and only then drain; waves would wait for room no worker makes.
            ["ScimSync:Cycle:MaxQueueDepth"] = "0",
            ["TestScimToken"] = options.Token,
            ["TestGraphToken"] = graph.AccessToken,
        }).AddInMemoryCollection(FastScimClientSettings.All).AddInMemoryCollection(options.Settings).Build();

        var clock = new ShiftedTimeProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(clock);
        services.AddScimSyncEngine(configuration);
        if (options.WrapSender is { } wrap)
        {
            var original = services.Last(d => d.ServiceType == typeof(IWorkItemSender));
            services.Remove(original);
            services.AddSingleton(sp => wrap(sp, (IWorkItemSender)original.ImplementationFactory!(sp)));
        }

        options.Configure?.Invoke(services);
        return new CycleHarness(graph, services.BuildServiceProvider(validateScopes: true), jobFile, clock) { Configuration = configuration };
    }

    /// <summary>How many work items the queue's messages carry, read without receiving them (up to 32 messages).</summary>
    public async Task<int> PeekQueuedItemCountAsync()
    {
        var options = Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkQueueOptions>>().Value;
        var queue = new Azure.Storage.Queues.QueueClient(options.ConnectionString, options.QueueName);
        if (!await queue.ExistsAsync())
        {
            return 0;
        }

        var peeked = await queue.PeekMessagesAsync(32);
        return peeked.Value.Sum(message => WorkMessageSerializer.Read(
            options.MessageEncoding == WorkMessageEncoding.Base64 ? Convert.FromBase64String(message.Body.ToString()) : message.Body.ToArray()).Count);
    }

    /// <summary>Takes every message off the queue (completing it) and returns the work items.</summary>
    public async Task<List<WorkItem>> TakeAllAsync()
    {
        var items = new List<WorkItem>();
        while (true)
        {
            var batch = await Queue.ReceiveAsync(32, TimeSpan.FromMinutes(1));
            if (batch.Count == 0)
            {
                return items;
            }

            foreach (var message in batch)
            {
                items.AddRange(message.Entries.Select(entry => ((WorkItemReadResult.Readable)entry.Content).Item));
                await Queue.CompleteAsync(message);
            }
        }
    }

    /// <summary>Records what the worker would after provisioning: the objects exist in the target, created by ScimSync, with their memberships.</summary>
    public async Task MarkProvisionedAsync(IEnumerable<WorkItem> items)
    {
        foreach (var item in items.Where(i => i.Operation == WorkOperation.Upsert))
        {
            var current = await Objects.GetAsync(Job, item.Kind, item.SourceId);
            await Objects.SaveAsync(
                new ObjectState(Job, item.Kind, item.SourceId) { TargetId = new TargetId("t-" + item.SourceId.Value), CreatedOrAdopted = true, MatchedBy = "created" },
                current?.ETag);
        }

        var memberships = Services.GetRequiredService<MembershipStore>();
        foreach (var chunk in items.Where(i => i.Operation == WorkOperation.MembershipChunk).Select(i => i.Membership!))
        {
            await memberships.SetAppliedAsync(Job, chunk.Group,
                chunk.Add.Select(m => new AppliedEdge(m.Id, m.Kind, true)).Concat(chunk.Remove.Select(m => new AppliedEdge(m.Id, m.Kind, false))));
        }
    }

    public async Task<JobState> StateAsync() => (await JobStates.GetAsync(Job))?.Value ?? new JobState(Job);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Graph.DisposeAsync();
        File.Delete(_jobFile);
    }

    public static IEnumerable<string> Ids(IEnumerable<WorkItem> items, WorkOperation operation, ObjectKind kind) =>
        items.Where(i => i.Operation == operation && i.Kind == kind).Select(i => i.SourceId.Value).Order(StringComparer.Ordinal);
}
