using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.Emulators.Hosting;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// The SCIM tokens, the Graph secrets and the admin key appear nowhere ScimSync writes or shows: not in what any
/// command prints, not in any log message, provisioning log entry or exception text, not in any row of any table or
/// any queue message, not in any page or answer of the admin server. Refused credentials and a target that echoes
/// the token it refuses are part of the run, since errors and quarantines are where secrets leak.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class SecretExposureTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Each with characters that JSON, URLs and HTML quote differently, so every quoted form is looked for too.
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["AtlassianToken"] = "atlassian-Scim+Token/Rel1ab1l1ty=Q7zX9kP2mW8vN4",
        ["RefusedToken"] = "refused-Scim+Token/Wr0ng=H3kL5pR7tV9xZ1",
        ["EchoedToken"] = "echoed-Scim+Token/Ech0=Ab3Cd5Ef7Gh9Jk2",
        ["GraphSecret"] = "Gr4ph~Secret.Reliability_Zq8-xV5yT1uP3&<x>",
        ["RefusedGraphSecret"] = "Gr4ph~Refused.Secret_Mn6-bC2dF4gH8",
        ["EntraClientSecret"] = "Cl1ent~Secret.Never_Sent-Kj7Lm9Np1Qr3",
        ["ScimSync:Admin:Key"] = "admin-Key+Reliability/0123456789abcdef",
    };

    private static readonly string[] Jobs = ["good", "refused-target", "echoing-target", "refused-source", "client-secret"];

    private LocalInstallation _local = null!;
    private LoopbackServer _echo = null!;
    private int _echoed;

    public async Task InitializeAsync()
    {
        var seed = new DirectorySeedBuilder();
        foreach (var user in seed.AddUsers(12))
        {
            seed.Assign(user, ObjectType.User);
        }

        var members = Enumerable.Range(1, 4).Select(i => seed.AddUser($"engineer{i}@contoso.com", $"Engineer {i}")).ToList();
        seed.Assign(seed.AddGroup("Engineering", members), ObjectType.Group);
        seed.Assign(seed.AddUser("huge@contoso.com", "Huge " + new string('h', 100_000)), ObjectType.User);
        seed.Assign(seed.AddUser("guest@fabrikam.com", "Guest From Elsewhere"), ObjectType.User);
        _local = await LocalInstallation.StartAsync(
            new GraphEmulatorOptions { Seed = seed.Build(), AccessToken = Secrets["GraphSecret"] },
            new AtlassianEmulatorOptions { ApiKey = Secrets["AtlassianToken"] });

        // A target that refuses every request and quotes the token it was sent.
        _echo = await LoopbackServer.StartAsync(0, null, app => app.Run(async context =>
        {
            Interlocked.Increment(ref _echoed);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject
            {
                ["error"] = $"The credential '{context.Request.Headers.Authorization}' is not valid for this directory",
                ["traceId"] = context.Request.Headers.Authorization.ToString(),
            }.ToJsonString());
        }));

        // Loaded by every command, but never synced here: its sign-in fails only after Azure.Identity's own retries (seconds).
        var clientSecretJob = _local.Job("client-secret", "AtlassianToken", "EntraClientSecret");
        clientSecretJob["source"] = new JsonObject
        {
            ["baseUrl"] = _local.Graph.BaseUrl,
            ["credential"] = "ClientSecret",
            ["tenantId"] = "7e1a9b62-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
            ["clientId"] = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
            // Nothing listens there: the secret never leaves, and the sign-in fails with Azure.Identity's own error.
            ["authorityHost"] = "https://127.0.0.1:9",
            ["maxRetries"] = 0,
        };
        await _local.WriteFilesAsync(
            [
                _local.Job("good", "AtlassianToken", "GraphSecret"),
                _local.Job("refused-target", "RefusedToken", "GraphSecret"),
                _local.Job("echoing-target", "EchoedToken", "GraphSecret", targetUrl: new Uri(_echo.BaseAddress, "scim/directory/echo").ToString()),
                _local.Job("refused-source", "AtlassianToken", "RefusedGraphSecret"),
                clientSecretJob,
            ],
            new JsonObject
            {
                // Every message at every level, so whatever any part logs is searched.
                ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Trace" } },
                ["AtlassianToken"] = Secrets["AtlassianToken"],
                ["RefusedToken"] = Secrets["RefusedToken"],
                ["EchoedToken"] = Secrets["EchoedToken"],
                ["GraphSecret"] = Secrets["GraphSecret"],
                ["RefusedGraphSecret"] = Secrets["RefusedGraphSecret"],
                ["EntraClientSecret"] = Secrets["EntraClientSecret"],
            },
            adminKey: Secrets["ScimSync:Admin:Key"]);
    }

    public async Task DisposeAsync()
    {
        await _echo.DisposeAsync();
        await _local.DisposeAsync();
    }

    [Fact]
    public async Task No_token_secret_or_admin_key_appears_in_output_logs_state_queues_or_admin_pages()
    {
        var seen = new List<(string Where, string Text)>();
        using (var logs = StandardErrorCapture.Start())
        {
            var user = _local.Graph.Snapshot().Users.First(candidate => candidate.DisplayName == "Engineer 1").Id;
            string[][] commands =
            [
                ["validate"],
                ["test-connection", "--job", "good"],
                ["test-connection", "--job", "refused-target"],
                ["test-connection", "--job", "echoing-target"],
                ["sync", "--job", "good"],
                ["sync", "--job", "refused-target"],
                ["sync", "--job", "echoing-target"],
                ["sync", "--job", "refused-source"],
                ["plan", "--job", "good", "--all"],
                ["plan", "--job", "good", "--format", "json"],
                ["plan", "--job", "refused-target"],
                ["provision", user, "--job", "good"],
                ["provision", user, "--job", "echoing-target"],
                ["audit", "--job", "good"],
                ["status"],
                ["status", "--format", "json"],
                ["logs", "--job", "good", "--status", "Failure"],
                .. Jobs.Select(job => (string[])["logs", "--job", job, "--top", "1000", "--format", "json"]),
                ["retry", "--job", "refused-target"],
                ["restart", "--job", "echoing-target", "--scope", "QuarantineState"],
            ];
            foreach (var command in commands)
            {
                var run = await _local.CliAsync(command);
                seen.Add(($"scimsync {string.Join(' ', command)} (exit {run.ExitCode})", run.Output));
            }

            await using (var admin = await _local.RunAsync(Secrets["ScimSync:Admin:Key"]))
            {
                seen.AddRange(await AdminAnswersAsync(admin));
                seen.Add(("scimsync run", admin.Output));
            }

            seen.Add(("a cycle whose work items wait in the queue", await EnqueueWithoutWorkingAsync()));
            seen.Add(("log messages on standard error", logs.Text));
        }

        var (tables, entities, properties) = await TablesAsync();
        var (queues, messages) = await QueuesAsync();
        Assert.True(messages > 0, "no work item was left in the queue to search");
        seen.AddRange(tables);
        seen.AddRange(queues);

        // The run did reach every path it was meant to: errors, quarantines and the echoing target included.
        var status = JsonDocument.Parse(seen.Single(entry => entry.Where.StartsWith("scimsync status --format json", StringComparison.Ordinal)).Text).RootElement;
        Assert.Equal("Quarantined", StatusOf(status, "refused-target"));
        Assert.Equal("Active", StatusOf(status, "good"));
        Assert.True(_echoed > 0, "the echoing target was never called");
        Assert.Contains(_local.Atlassian.State.LiveUsers, candidate => candidate.UserName == "engineer1@contoso.com");
        Assert.Contains(seen, entry => entry.Text.Contains("WorkItemTooLarge", StringComparison.Ordinal));
        Assert.Contains(seen, entry => entry.Text.Contains("Graph rejected", StringComparison.Ordinal));
        Assert.Contains(seen, entry => entry.Text.Contains("The credential 'Bearer [credential removed]' is not valid", StringComparison.Ordinal));
        // And the search finds every secret where it is meant to be: in the settings file.
        var settings = await File.ReadAllTextAsync(_local.SettingsFile);
        var found = Leaks([("settings file", settings)]);
        Assert.All(Secrets, secret => Assert.Contains(found, leak => leak.StartsWith(secret.Key + " as", StringComparison.Ordinal)));

        var lines = seen.Sum(entry => entry.Text.Split('\n').Length);
        output.WriteLine($"Scanned {seen.Count} texts, {lines:N0} lines, {seen.Sum(entry => entry.Text.Length):N0} characters: " +
                         $"{entities:N0} entities ({properties:N0} properties) in {tables.Count} tables, {messages} queue messages in {queues.Count} queues, " +
                         $"{Secrets.Values.Sum(secret => Forms(secret).Count)} forms of {Secrets.Count} secrets.");
        foreach (var (where, text) in seen)
        {
            output.WriteLine($"  {where}: {text.Split('\n').Length:N0} lines");
        }

        Assert.Empty(Leaks(seen));
    }

    /// <summary>
    /// Runs a cycle after the directory changed and leaves its work items in the queue, as they wait there between a
    /// cycle and the workers.
    /// </summary>
    private async Task<string> EnqueueWithoutWorkingAsync()
    {
        foreach (var user in _local.Graph.Snapshot().Users.Where(candidate => candidate.DisplayName?.StartsWith("Engineer", StringComparison.Ordinal) == true))
        {
            _local.Graph.Tenant.UpdateUser(user.Id, "jobTitle", "Queued Engineer");
        }

        var configuration = CliConfiguration.Build([new FileInfo(_local.SettingsFile)], new FileInfo(_local.JobsFile));
        await using var services = new ServiceCollection().AddScimSyncCli(configuration).BuildServiceProvider();
        var report = await services.GetRequiredService<SyncCycleRunner>().RunAsync(new JobId("good"));
        Assert.True(report.Enqueued > 0, report.Message);
        return report.Message;
    }

    private async Task<List<(string Where, string Text)>> AdminAnswersAsync(LocalInstallation.RunningAdmin admin)
    {
        using var client = admin.Client();
        using var anonymous = admin.Client(withKey: false);
        var user = _local.Graph.Snapshot().Users.First(candidate => candidate.DisplayName == "Engineer 2").Id;
        var answers = new List<(string Where, string Text)>();
        async Task Keep(string where, Task<HttpResponseMessage> sending)
        {
            using var response = await sending;
            answers.Add(($"admin {where} ({(int)response.StatusCode})", response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync()));
        }

        await Keep("page", client.GetAsync("api/scimsync/admin/page"));
        await Keep("status", client.GetAsync("api/scimsync/admin/status"));
        foreach (var job in Jobs)
        {
            await Keep($"logs of {job}", client.GetAsync($"api/scimsync/admin/logs?job={job}&top=500"));
        }

        await Keep("plan", client.GetAsync("api/scimsync/admin/jobs/good/plan"));
        await Keep("provision", client.PostAsync("api/scimsync/admin/jobs/echoing-target/provision",
            new FormUrlEncodedContent([KeyValuePair.Create("sourceId", user)])));
        await Keep("sign-in form", anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/scimsync/admin/page") { Headers = { { "Accept", "text/html" } } }));
        await Keep("wrong key", anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/scimsync/admin/status") { Headers = { { "X-ScimSync-Admin-Key", "not-the-key-0123456789abcdef" } } }));
        await Keep("sign-in", anonymous.PostAsync("api/scimsync/admin/sign-in", new FormUrlEncodedContent([KeyValuePair.Create("key", Secrets["ScimSync:Admin:Key"])])));
        return answers;
    }

    private async Task<(List<(string Where, string Text)> Tables, int Entities, int Properties)> TablesAsync()
    {
        var service = new TableServiceClient(_local.Azurite.ConnectionString);
        var dumps = new List<(string, string)>();
        int entities = 0, properties = 0;
        await foreach (var table in service.QueryAsync())
        {
            var text = new StringBuilder();
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                entities++;
                foreach (var (name, value) in entity)
                {
                    properties++;
                    text.Append(name).Append('=').AppendLine(value is byte[] bytes ? Encoding.UTF8.GetString(bytes) + " " + Convert.ToBase64String(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            dumps.Add(($"table {table.Name}", text.ToString()));
        }

        Assert.True(entities > 100, $"only {entities} entities");
        return (dumps, entities, properties);
    }

    private async Task<(List<(string Where, string Text)> Queues, int Messages)> QueuesAsync()
    {
        var service = new QueueServiceClient(_local.Azurite.ConnectionString);
        var dumps = new List<(string, string)>();
        var count = 0;
        await foreach (var queue in service.GetQueuesAsync())
        {
            var client = service.GetQueueClient(queue.Name);
            var text = new StringBuilder();
            for (var round = 0; round < 100; round++)
            {
                var batch = (await client.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
                if (batch.Length == 0)
                {
                    break;
                }

                foreach (var message in batch)
                {
                    count++;
                    var body = message.Body.ToString();
                    text.AppendLine(body);
                    try
                    {
                        text.AppendLine(Encoding.UTF8.GetString(Convert.FromBase64String(body)));
                    }
                    catch (FormatException)
                    {
                    }
                }
            }

            dumps.Add(($"queue {queue.Name}", text.ToString()));
        }

        return (dumps, count);
    }

    private static string? StatusOf(JsonElement status, string job) =>
        status.EnumerateArray().Single(entry => entry.GetProperty("job").GetString() == job).GetProperty("status").GetString();

    /// <summary>Where a secret appears, in any of the forms it would take in JSON, a URL, HTML or base64.</summary>
    private static List<string> Leaks(IEnumerable<(string Where, string Text)> texts)
    {
        var leaks = new List<string>();
        foreach (var (where, text) in texts)
        {
            foreach (var (name, secret) in Secrets)
            {
                foreach (var form in Forms(secret).Where(form => text.Contains(form, StringComparison.OrdinalIgnoreCase)))
                {
                    var at = text.IndexOf(form, StringComparison.OrdinalIgnoreCase);
                    leaks.Add($"{name} as \"{form}\" in {where}: …{text[Math.Max(0, at - 80)..Math.Min(text.Length, at + form.Length + 40)]}…");
                }
            }
        }

        return leaks;
    }

    private static List<string> Forms(string secret)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal)
        {
            secret,
            Uri.EscapeDataString(secret),
            WebUtility.UrlEncode(secret),
            JsonEncodedText.Encode(secret).ToString(),
            JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
            HtmlEncoder.Default.Encode(secret),
            WebUtility.HtmlEncode(secret),
        };

        // Base64 at each of the three alignments the secret can have inside a longer encoded text (a Basic
        // credential, a queue message): the characters that depend on the secret's bytes alone.
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var offset = 0; offset < 3; offset++)
        {
            var encoded = Convert.ToBase64String([.. new byte[offset], .. bytes]);
            var start = offset == 0 ? 0 : 4;
            var end = (offset + bytes.Length) / 3 * 4;
            var stable = encoded[start..end];
            forms.Add(stable);
            forms.Add(stable.Replace('+', '-').Replace('/', '_'));
        }

        return [.. forms];
    }

    /// <summary>
    /// Copies what is written to standard error, where the command line's log messages go, while it is installed.
    /// Writes still reach the real standard error, so other tests running meanwhile lose nothing.
    /// </summary>
    private sealed class StandardErrorCapture : TextWriter
    {
        private readonly TextWriter _original = Console.Error;
        private readonly StringBuilder _captured = new();
        private bool _capturing = true;

        public override Encoding Encoding => _original.Encoding;

        public string Text
        {
            get
            {
                lock (_captured)
                {
                    return _captured.ToString();
                }
            }
        }

        public static StandardErrorCapture Start()
        {
            var capture = new StandardErrorCapture();
            Console.SetError(capture);
            return capture;
        }

        public override void Write(char value)
        {
            lock (_captured)
            {
                if (_capturing)
                {
                    _captured.Append(value);
                }
            }

            _original.Write(value);
        }

        public override void Write(string? value)
        {
            lock (_captured)
            {
                if (_capturing)
                {
                    _captured.Append(value);
                }
            }

            _original.Write(value);
        }

        protected override void Dispose(bool disposing)
        {
            // Loggers created meanwhile keep this writer: it goes on forwarding, and stops keeping a copy.
            lock (_captured)
            {
                _capturing = false;
            }

            Console.SetError(_original);
            base.Dispose(disposing);
        }
    }
}
