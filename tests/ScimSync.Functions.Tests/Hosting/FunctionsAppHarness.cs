using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimSync.Core;
using ScimSync.Core.Identity;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Functions.Hosting;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.Functions.Tests.Hosting;

/// <summary>Real time shifted by an offset a test moves forward, so schedules become due without waiting.</summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Offset += by;
}

/// <summary>
/// The Functions app as Program.cs composes it (<see cref="FunctionsAppServiceCollectionExtensions.AddScimSyncFunctionsApp"/>),
/// with one job reading the Graph emulator and writing to the Atlassian emulator, state and queues in Azurite under
/// names no other test uses. Function classes are created from its services, as the worker creates them.
/// </summary>
internal sealed class FunctionsAppHarness : IAsyncDisposable
{
    public static readonly JobId Job = new("functions-test");
    public const string TokenSetting = "AtlassianTestToken";

    private readonly string _jobFile;

    private FunctionsAppHarness(GraphEmulator graph, AtlassianScimEmulator atlassian, IConfigurationRoot configuration, ServiceProvider services, ShiftedTimeProvider clock, string jobFile, string queueName, string connectionString)
    {
        Graph = graph;
        Atlassian = atlassian;
        Configuration = configuration;
        Services = services;
        Clock = clock;
        _jobFile = jobFile;
        Host = new QueueTriggerHost(connectionString, queueName);
    }

    public GraphEmulator Graph { get; }

    public AtlassianScimEmulator Atlassian { get; }

    /// <summary>The app settings; a test may change one as an admin would.</summary>
    public IConfigurationRoot Configuration { get; }

    public ServiceProvider Services { get; }

    public ShiftedTimeProvider Clock { get; }

    /// <summary>What the Functions host does with the Storage queues.</summary>
    public QueueTriggerHost Host { get; }

    public static async Task<FunctionsAppHarness> StartAsync(
        AzuriteFixture azurite, DirectorySeed seed, IReadOnlyDictionary<string, string?>? settings = null, JsonObject? policy = null)
    {
        var graph = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = seed, AllowAnonymous = true });
        var atlassian = await AtlassianScimEmulator.StartAsync();
        var job = new JsonObject
        {
            ["id"] = Job.Value,
            ["displayName"] = "Functions test",
            ["source"] = new JsonObject { ["baseUrl"] = graph.BaseUrl, ["credential"] = "Anonymous", ["retryDelaySeconds"] = 1 },
            ["target"] = new JsonObject
            {
                ["profile"] = "atlassian-cloud",
                ["baseUrl"] = atlassian.BaseUrl,
                ["tokenSetting"] = TokenSetting,
                ["allowInsecureLoopback"] = true,
                ["verifiedDomains"] = new JsonArray("contoso.com"),
            },
            ["scope"] = new JsonObject { ["mode"] = "assigned", ["servicePrincipalId"] = graph.Tenant.ServicePrincipal.Id },
            ["policy"] = policy ?? new JsonObject { ["interval"] = "00:01:00", ["quarantineInterval"] = "00:10:00" },
        };
        var jobFile = Path.Combine(Path.GetTempPath(), $"scimsync-functions-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(jobFile, new JsonObject { ["jobs"] = new JsonArray(job) }.ToJsonString());

        var unique = Guid.NewGuid().ToString("N")[..12];
        var queueName = "fn-" + unique;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["SyncSchedule"] = "0 */1 * * * *",
            ["CleanupSchedule"] = "0 30 3 * * *",
            [ScimSyncCoreServiceCollectionExtensions.JobsFileSetting] = jobFile,
            ["ScimSync:State:ConnectionString"] = azurite.ConnectionString,
            ["ScimSync:State:TablePrefix"] = "F" + unique,
            ["ScimSync:Queue:ConnectionString"] = azurite.ConnectionString,
            ["ScimSync:Queue:QueueName"] = queueName,
            ["ScimSync:Worker:BaseRetryDelay"] = "00:00:01",
            [TokenSetting] = atlassian.ApiKey,
        }).AddInMemoryCollection(FastScimClientSettings.All).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();

        var clock = new ShiftedTimeProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(clock);
        services.AddScimSyncFunctionsApp(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var app = new FunctionsAppHarness(graph, atlassian, configuration, provider, clock, jobFile, queueName, azurite.ConnectionString);
        // The host listens on both queues from its start.
        await app.Host.WorkQueue.CreateIfNotExistsAsync();
        await app.Host.PoisonQueue.CreateIfNotExistsAsync();
        return app;
    }

    /// <summary>A function class, created with the app's services as the worker creates it for each invocation.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Graph.DisposeAsync();
        await Atlassian.DisposeAsync();
        File.Delete(_jobFile);
    }
}
