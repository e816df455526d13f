using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ScimSync.Cli;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Azurite;
using ScimSync.Emulators.Graph;
using ScimSync.IntegrationTests.Cli;
using Spectre.Console;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// What a user sets up to run <c>scimsync</c> locally, on an Azurite of its own (so every table and queue in it is
/// this installation's): the Graph and Atlassian emulators, a job file and a settings file. Runs commands in-process
/// and <c>scimsync run</c> with its admin server.
/// </summary>
internal sealed class LocalInstallation : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("scimsync-local-");
    private AzuriteProcess? _azurite;

    private LocalInstallation()
    {
    }

    public AzuriteProcess Azurite => _azurite!;

    public GraphEmulator Graph { get; private set; } = null!;

    public AtlassianScimEmulator Atlassian { get; private set; } = null!;

    public string JobsFile => Path.Combine(_folder.FullName, "jobs.json");

    public string SettingsFile => Path.Combine(_folder.FullName, "settings.json");

    public static async Task<LocalInstallation> StartAsync(GraphEmulatorOptions graph, AtlassianEmulatorOptions? atlassian = null)
    {
        var installation = new LocalInstallation();
        try
        {
            installation._azurite = await AzuriteProcess.StartAsync();
            installation.Graph = await GraphEmulator.StartAsync(graph);
            installation.Atlassian = await AtlassianScimEmulator.StartAsync(atlassian);
            return installation;
        }
        catch
        {
            await installation.DisposeAsync();
            throw;
        }
    }

    /// <summary>A job reading the Graph emulator and writing to <paramref name="targetUrl"/> (default: the Atlassian emulator).</summary>
    public JsonObject Job(string id, string tokenSetting, string graphSecretSetting, string? targetUrl = null) => new()
    {
        ["id"] = id,
        ["source"] = new JsonObject { ["baseUrl"] = Graph.BaseUrl, ["credential"] = "StaticToken", ["retryDelaySeconds"] = 1, ["maxRetries"] = 0 },
        ["sourceClientSecretSetting"] = graphSecretSetting,
        ["target"] = new JsonObject
        {
            ["baseUrl"] = targetUrl ?? Atlassian.BaseUrl,
            ["tokenSetting"] = tokenSetting,
            ["verifiedDomains"] = new JsonArray("contoso.com"),
            ["allowInsecureLoopback"] = true,
            ["requestsPerSecond"] = 500,
        },
        ["scope"] = new JsonObject { ["mode"] = "assigned", ["servicePrincipalId"] = Graph.Tenant.ServicePrincipal.Id, ["flattenNestedGroups"] = true },
        ["policy"] = new JsonObject { ["maxConcurrency"] = 8, ["interval"] = "00:00:30", ["quarantineInterval"] = "00:30:00" },
    };

    /// <summary>
    /// Writes the job file and the settings file: storage in this Azurite, fast retries, the admin key when given, and
    /// <paramref name="settings"/> (tokens, secrets, logging) at the top level.
    /// </summary>
    public async Task WriteFilesAsync(IEnumerable<JsonObject> jobs, JsonObject settings, string? adminKey = null)
    {
        await File.WriteAllTextAsync(JobsFile, new JsonObject { ["jobs"] = new JsonArray([.. jobs]) }.ToJsonString());
        var all = new JsonObject
        {
            ["ScimSync"] = new JsonObject
            {
                ["State"] = new JsonObject { ["ConnectionString"] = Azurite.ConnectionString },
                ["Queue"] = new JsonObject { ["ConnectionString"] = Azurite.ConnectionString },
                ["Worker"] = new JsonObject { ["BaseRetryDelay"] = "00:00:00.200", ["MaxWaitForRetries"] = "00:00:03" },
                ["Scheduler"] = new JsonObject { ["Tick"] = "00:00:01" },
                ["Scim"] = new JsonObject { ["MaxRetryAttempts"] = 0 },
                ["Admin"] = new JsonObject { ["Key"] = adminKey },
            },
        };
        foreach (var (name, value) in settings)
        {
            all[name] = value?.DeepClone();
        }

        await File.WriteAllTextAsync(SettingsFile, all.ToJsonString());
    }

    /// <summary>Runs one command with this installation's job and settings files.</summary>
    public Task<CliRun> CliAsync(params string[] args) => CliRun.InvokeAsync([.. args, "--jobs", JobsFile, "--settings", SettingsFile]);

    /// <summary>Starts <c>scimsync run</c> with its admin server on a free loopback port, and waits until it answers.</summary>
    public async Task<RunningAdmin> RunAsync(string adminKey)
    {
        var output = new StringBuilder();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(new SynchronizedWriter(output)),
        });
        console.Profile.Width = 250;
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => ScimSyncCli.InvokeAsync(
            ["run", "--admin-url", baseAddress.ToString(), "--jobs", JobsFile, "--settings", SettingsFile], console, console, stop.Token));
        var admin = new RunningAdmin(baseAddress, adminKey, run, stop, output);
        using var client = admin.Client();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            if (run.IsCompleted)
            {
                throw new InvalidOperationException($"scimsync run stopped with exit code {await run}:\n{admin.Output}");
            }

            try
            {
                if ((await client.GetAsync("api/scimsync/admin/status")).IsSuccessStatusCode)
                {
                    return admin;
                }
            }
            catch (HttpRequestException) when (DateTimeOffset.UtcNow < deadline)
            {
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                await admin.DisposeAsync();
                throw new TimeoutException($"The admin server did not answer within 30 s:\n{admin.Output}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Atlassian is not null)
        {
            await Atlassian.DisposeAsync();
        }

        if (Graph is not null)
        {
            await Graph.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><c>scimsync run</c> in this process, until disposed.</summary>
    internal sealed class RunningAdmin(Uri baseAddress, string adminKey, Task<int> run, CancellationTokenSource stop, StringBuilder output) : IAsyncDisposable
    {
        public Uri BaseAddress { get; } = baseAddress;

        /// <summary>What <c>run</c> printed so far.</summary>
        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        /// <summary>A client for the admin server, sending the admin key unless told otherwise.</summary>
        public HttpClient Client(bool withKey = true)
        {
            var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            if (withKey)
            {
                client.DefaultRequestHeaders.Add("X-ScimSync-Admin-Key", adminKey);
            }

            return client;
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run;
            stop.Dispose();
        }
    }

    private sealed class SynchronizedWriter(StringBuilder inner) : TextWriter
    {
        public override Encoding Encoding => Encoding.Unicode;

        public override void Write(char value)
        {
            lock (inner)
            {
                inner.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (inner)
            {
                inner.Append(value);
            }
        }
    }
}
