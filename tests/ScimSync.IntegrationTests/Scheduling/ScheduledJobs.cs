using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ScimSync.Core;
using ScimSync.Core.Identity;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Scheduling;

/// <summary>
/// Several jobs in one job file, each reading its own Graph emulator (so a test sees which jobs' cycles ran from the
/// requests each directory received), with state and queue in Azurite, composed with <c>AddScimSyncEngine</c> on a
/// <see cref="FakeTimeProvider"/>. <see cref="NewInstance"/> composes another instance over the same tables,
/// as a second Functions instance would be.
/// </summary>
internal sealed class ScheduledJobs : IAsyncDisposable
{
    private readonly IConfigurationRoot _configuration;
    private readonly string _jobFile;
    private readonly List<ServiceProvider> _instances = [];

    private ScheduledJobs(IReadOnlyDictionary<JobId, GraphEmulator> directories, IConfigurationRoot configuration, string jobFile, FakeTimeProvider clock)
    {
        Directories = directories;
        _configuration = configuration;
        _jobFile = jobFile;
        Clock = clock;
    }

    public IReadOnlyDictionary<JobId, GraphEmulator> Directories { get; }

    public FakeTimeProvider Clock { get; }

    public static async Task<ScheduledJobs> StartAsync(
        AzuriteFixture azurite, IReadOnlyDictionary<string, TimeSpan> intervals, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directories = new Dictionary<JobId, GraphEmulator>();
        var jobs = new JsonArray();
        foreach (var (id, interval) in intervals)
        {
            var seed = new DirectorySeedBuilder();
            foreach (var user in seed.AddUsers(3))
            {
                seed.Assign(user, ObjectType.User);
            }

            var graph = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = seed.Build(), AllowAnonymous = true });
            directories[new JobId(id)] = graph;
            jobs.Add(new JsonObject
            {
                ["id"] = id,
                ["source"] = new JsonObject { ["baseUrl"] = graph.BaseUrl, ["credential"] = "Anonymous", ["retryDelaySeconds"] = 1 },
                ["target"] = new JsonObject
                {
                    ["profile"] = "atlassian-cloud",
                    ["baseUrl"] = "http://127.0.0.1:9/scim/directory/" + id,
                    ["tokenSetting"] = "TestScimToken",
                    ["allowInsecureLoopback"] = true,
                    ["verifiedDomains"] = new JsonArray("contoso.com"),
                },
                ["scope"] = new JsonObject { ["mode"] = "assigned", ["servicePrincipalId"] = graph.Tenant.ServicePrincipal.Id },
                ["policy"] = new JsonObject
                {
                    ["interval"] = interval.ToString("c"),
                    ["quarantineInterval"] = TimeSpan.FromHours(1).ToString("c"),
                },
            });
        }

        var jobFile = Path.Combine(Path.GetTempPath(), $"scimsync-schedule-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(jobFile, new JsonObject { ["jobs"] = jobs }.ToJsonString());
        var unique = Guid.NewGuid().ToString("N")[..12];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ScimSyncCoreServiceCollectionExtensions.JobsFileSetting] = jobFile,
            ["ScimSync:State:ConnectionString"] = azurite.ConnectionString,
            ["ScimSync:State:TablePrefix"] = "D" + unique,
            ["ScimSync:Queue:ConnectionString"] = azurite.ConnectionString,
            ["ScimSync:Queue:QueueName"] = "due-" + unique,
            ["TestScimToken"] = "token",
        }).AddInMemoryCollection(FastScimClientSettings.All)
            // No target listens and the clock is fake: a retry's delay would wait on a clock nobody advances.
            .AddInMemoryCollection([new("ScimSync:Scim:MaxRetryAttempts", "0")])
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        return new ScheduledJobs(directories, configuration, jobFile, new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero)));
    }

    /// <summary>A host instance: the engine composed over the shared tables, queue and clock.</summary>
    public IServiceProvider NewInstance()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddScimSyncEngine(_configuration);
        var provider = services.BuildServiceProvider(validateScopes: true);
        _instances.Add(provider);
        return provider;
    }

    /// <summary>The jobs whose directory was read since the last call (a cycle reads its directory).</summary>
    public IReadOnlyList<string> JobsReadSinceLastAsked()
    {
        var read = Directories.Where(pair => pair.Value.Counters.Total > 0).Select(pair => pair.Key.Value).Order(StringComparer.Ordinal).ToList();
        foreach (var graph in Directories.Values)
        {
            graph.Counters.Reset();
        }

        return read;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        foreach (var graph in Directories.Values)
        {
            await graph.DisposeAsync();
        }

        File.Delete(_jobFile);
    }
}
