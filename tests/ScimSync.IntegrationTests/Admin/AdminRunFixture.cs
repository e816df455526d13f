using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimSync.Cli;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Azurite;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph;
using ScimSync.IntegrationTests.Cli;
using Spectre.Console;

namespace ScimSync.IntegrationTests.Admin;

/// <summary>
/// <c>scimsync run --admin-url …</c> running in this process over Azurite, the Graph emulator with the demo tenant and
/// the Atlassian emulator: one job, <see cref="JobId"/>, cycling on its own, and its admin API and status page on a
/// loopback port behind <see cref="AdminKey"/>.
/// </summary>
public abstract class AdminRunFixture : IAsyncLifetime, IDisposable
{
    public const string JobId = "hr";

    public const string AdminKey = "integration-admin-key-0123456789abcdef";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("scimsync-admin-");
    private readonly System.Text.StringBuilder _output = new();
    private readonly CancellationTokenSource _stop = new();
    private AzuriteProcess? _azurite;
    private Task<int>? _run;

    public GraphEmulator Graph { get; private set; } = null!;

    public AtlassianScimEmulator Atlassian { get; private set; } = null!;

    /// <summary>The admin server's root, e.g. <c>http://127.0.0.1:51234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public Uri PageAddress => new(BaseAddress, "api/scimsync/admin/page");

    public string SettingsFile => Path.Combine(_folder.FullName, "settings.json");

    /// <summary>What <c>run</c> printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Delay the Atlassian emulator adds to every answer, so cycles last long enough to watch.</summary>
    protected virtual TimeSpan TargetLatency => TimeSpan.Zero;

    /// <summary>How many technicians the demo tenant generates on top of its named users.</summary>
    protected virtual int GeneratedUsers => 40;

    /// <summary>Work items the job processes at once.</summary>
    protected virtual int MaxConcurrency => 8;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        Graph = await GraphEmulator.StartAsync(await SmallDemoDirectoryAsync(), allowAnonymous: true);
        Atlassian = await AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions { Faults = new FaultSettings { Latency = TargetLatency } });
        var jobsFile = Path.Combine(_folder.FullName, "jobs.json");
        await File.WriteAllTextAsync(jobsFile, new JsonObject
        {
            ["jobs"] = new JsonArray(new JsonObject
            {
                ["id"] = JobId,
                ["displayName"] = "HR to Atlassian",
                ["source"] = new JsonObject { ["baseUrl"] = Graph.BaseUrl, ["credential"] = "Anonymous" },
                ["target"] = new JsonObject
                {
                    ["baseUrl"] = Atlassian.BaseUrl,
                    ["tokenSetting"] = "AtlassianToken",
                    ["verifiedDomains"] = new JsonArray("contoso.com"),
                    ["allowInsecureLoopback"] = true,
                    ["requestsPerSecond"] = 500,
                },
                ["scope"] = new JsonObject { ["mode"] = "assigned", ["servicePrincipalId"] = Graph.Tenant.ServicePrincipal.Id, ["flattenNestedGroups"] = true },
                ["policy"] = new JsonObject { ["maxConcurrency"] = MaxConcurrency, ["interval"] = "00:00:30", ["deletionThreshold"] = 3 },
            }),
        }.ToJsonString());
        await WriteSettingsAsync(Atlassian.ApiKey);

        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(new LockedWriter(_output)),
        });
        console.Profile.Width = 250;
        _run = Task.Run(() => ScimSyncCli.InvokeAsync(
            ["run", "--admin-url", BaseAddress.ToString(), "--jobs", jobsFile, "--settings", SettingsFile], console, console, _stop.Token));

        using var client = CreateClient();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_run.IsCompleted)
            {
                throw new InvalidOperationException($"scimsync run stopped with exit code {await _run}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync(new Uri(BaseAddress, "api/scimsync/admin/status"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTimeOffset.UtcNow < deadline)
            {
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The admin server did not answer within 60 s:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    // The demo tenant with fewer generated technicians, so a cycle takes seconds rather than a minute here.
    private async Task<string> SmallDemoDirectoryAsync()
    {
        var demo = JsonNode.Parse(await File.ReadAllTextAsync(ValidateCommandTests.SamplePath("samples/demo-directory.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        foreach (var generated in demo["generatedUsers"]!.AsArray())
        {
            generated!["count"] = GeneratedUsers;
        }

        var path = Path.Combine(_folder.FullName, "directory.json");
        await File.WriteAllTextAsync(path, demo.ToJsonString());
        return path;
    }

    /// <summary>A client for the admin server, sending the admin key unless told otherwise.</summary>
    public HttpClient CreateClient(string? key = AdminKey, bool followRedirects = true)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-ScimSync-Admin-Key", key);
        }

        return client;
    }

    /// <summary>The job's status as the API reports it.</summary>
    public async Task<JsonElement> JobStatusAsync()
    {
        using var client = CreateClient();
        var status = await client.GetFromJsonAsync<JsonElement>("api/scimsync/admin/status");
        return status.GetProperty("jobs")[0].Clone();
    }

    /// <summary>Waits until the job's status satisfies <paramref name="condition"/>.</summary>
    public async Task<JsonElement> WaitForStatusAsync(Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        JsonElement status;
        do
        {
            status = await JobStatusAsync();
            if (condition(status))
            {
                return status;
            }

            await Task.Delay(500);
        }
        while (DateTimeOffset.UtcNow < deadline);

        throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {what}. Last status: {status}\nscimsync run printed:\n{Output}");
    }

    /// <summary>Whether the job's latest cycle has read, enqueued and finished every item.</summary>
    public static bool CycleFinished(JsonElement status) =>
        status.TryGetProperty("lastCycle", out var cycle) && cycle.TryGetProperty("completedAt", out _)
        && (!status.TryGetProperty("progress", out var progress) || progress.GetProperty("remaining").GetInt32() == 0);

    /// <summary>Rewrites the settings file as a user would, with another SCIM token; the running process re-reads it.</summary>
    public Task WriteSettingsAsync(string atlassianToken)
    {
        var settings = new JsonObject
        {
            ["ScimSync"] = new JsonObject
            {
                ["State"] = new JsonObject { ["ConnectionString"] = _azurite!.ConnectionString },
                ["Queue"] = new JsonObject { ["ConnectionString"] = _azurite.ConnectionString },
                ["Worker"] = new JsonObject { ["BaseRetryDelay"] = "00:00:01" },
                ["Scheduler"] = new JsonObject { ["Tick"] = "00:00:02" },
                ["Admin"] = new JsonObject { ["Key"] = AdminKey },
            },
            ["AtlassianToken"] = atlassianToken,
        }.ToJsonString();
        // Written aside and moved in, so the watcher never reads half a file.
        var next = SettingsFile + ".next";
        File.WriteAllText(next, settings);
        File.Move(next, SettingsFile, overwrite: true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        // Null when start-up failed half-way; what did start is still stopped.
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

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class LockedWriter(System.Text.StringBuilder inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.Unicode;

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

        public override void WriteLine(string? value)
        {
            lock (inner)
            {
                inner.AppendLine(value);
            }
        }
    }
}
