using System.Text.Json.Nodes;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Azurite;
using ScimSync.Emulators.Graph;

namespace ScimSync.IntegrationTests.Cli;

/// <summary>
/// Azurite, the Graph emulator with the demo tenant and the Atlassian emulator, with a job file and a settings file
/// pointing at them: what a user sets up to run <c>scimsync</c> locally.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("scimsync-cli-");
    private AzuriteProcess? _azurite;

    public GraphEmulator Graph { get; private set; } = null!;

    public AtlassianScimEmulator Atlassian { get; private set; } = null!;

    public string JobsFile => Path.Combine(_folder.FullName, "jobs.json");

    public string SettingsFile => Path.Combine(_folder.FullName, "settings.json");

    /// <summary>Extra settings giving a job its own work queue, so what one test leaves queued cannot reach another's.</summary>
    public string OwnQueueSettingsFile => Path.Combine(_folder.FullName, "own-queue.json");

    /// <summary>The command-line arguments that point <c>scimsync</c> at this setup.</summary>
    public string[] Args(params string[] args) => [.. args, "--jobs", JobsFile, "--settings", SettingsFile];

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        Graph = await GraphEmulator.StartAsync(ValidateCommandTests.SamplePath("samples/demo-directory.json"));
        Atlassian = await AtlassianScimEmulator.StartAsync();
        await File.WriteAllTextAsync(JobsFile, new JsonObject
        {
            ["jobs"] = new JsonArray(Job("sync", "AtlassianToken"), Job("plan", "AtlassianToken"), Job("wrong-token", "WrongToken")),
        }.ToJsonString());
        await File.WriteAllTextAsync(SettingsFile, new JsonObject
        {
            ["ScimSync"] = new JsonObject
            {
                ["State"] = new JsonObject { ["ConnectionString"] = _azurite.ConnectionString },
                ["Queue"] = new JsonObject { ["ConnectionString"] = _azurite.ConnectionString },
                // Items put back for a retry are waited for only briefly: what still waits is the next cycle's.
                ["Worker"] = new JsonObject { ["BaseRetryDelay"] = "00:00:01", ["MaxWaitForRetries"] = "00:00:05" },
            },
            ["AtlassianToken"] = Atlassian.ApiKey,
            ["GraphToken"] = Graph.AccessToken,
            ["WrongToken"] = "not-the-directory-key",
        }.ToJsonString());
        await File.WriteAllTextAsync(OwnQueueSettingsFile, """{ "ScimSync": { "Queue": { "QueueName": "scimsync-own" } } }""");
    }

    private JsonObject Job(string id, string tokenSetting, int maxConcurrency = 16) => new()
    {
        ["id"] = id,
        ["source"] = new JsonObject { ["baseUrl"] = Graph.BaseUrl, ["credential"] = "StaticToken" },
        ["sourceClientSecretSetting"] = "GraphToken",
        ["target"] = new JsonObject
        {
            ["baseUrl"] = Atlassian.BaseUrl,
            ["tokenSetting"] = tokenSetting,
            ["verifiedDomains"] = new JsonArray("contoso.com"),
            ["allowInsecureLoopback"] = true,
            ["requestsPerSecond"] = 500,
        },
        ["scope"] = new JsonObject { ["mode"] = "assigned", ["servicePrincipalId"] = Graph.Tenant.ServicePrincipal.Id, ["flattenNestedGroups"] = true },
        ["policy"] = new JsonObject { ["maxConcurrency"] = maxConcurrency },
    };

    public async Task DisposeAsync()
    {
        await Atlassian.DisposeAsync();
        await Graph.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliFixture>
{
    public const string Name = "Cli";
}
