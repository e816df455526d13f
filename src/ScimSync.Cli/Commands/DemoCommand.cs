using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using ScimSync.Core;
using ScimSync.Core.Configuration;
using ScimSync.Core.Logging;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Azurite;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary>
/// <c>scimsync demo</c>: a real sync of the demo tenant into the Atlassian emulator, on loopback only. Starts Azurite,
/// the Graph emulator and the Atlassian emulator, runs an initial cycle, changes the tenant through the Graph
/// emulator's admin API, runs an incremental cycle, prints what happened and stops everything it started.
/// </summary>
public static class DemoCommand
{
    private const string JobId = "demo";
    private const string TokenSetting = "DemoAtlassianScimToken";

    public static Command Create(CliEnvironment environment)
    {
        var seed = new Option<FileInfo?>("--seed")
        {
            Description = "The demo tenant (default: samples/demo-directory.json in the repository).",
            HelpName = "file",
        };
        var command = new Command("demo", "Sync the demo tenant into a local Atlassian-compatible SCIM server: an initial cycle, a few changes in Entra ID, an incremental cycle, and what happened. Needs Node.js and 'npm ci' (Azurite).")
        {
            seed,
        };
        command.SetAction((parseResult, cancellationToken) => CommandActions.RunAsync(
            environment, token => RunAsync(environment, parseResult.GetValue(seed), token), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliEnvironment environment, FileInfo? seedFile, CancellationToken cancellationToken)
    {
        var output = environment.Output;
        var seedPath = seedFile?.FullName ?? FindSample("samples/demo-directory.json");
        string nodeModules;
        try
        {
            NodeTooling.FindNode();
            nodeModules = FindNodeModules();
        }
        catch (InvalidOperationException missing)
        {
            throw new CliUsageException(missing.Message);
        }

        var total = Stopwatch.StartNew();
        output.Write(new Rule("[bold]ScimSync demo[/]").LeftJustified());
        output.MarkupLine("Everything runs on 127.0.0.1 and stops when the demo ends.");
        output.WriteLine();

        output.MarkupLine("[bold]1.[/] Starting Azurite (Table Storage and queues), the Graph emulator with the demo tenant, and the Atlassian SCIM emulator");
        await using var azurite = await AzuriteProcess.StartAsync(nodeModules, cancellationToken: cancellationToken);
        await using var graph = await GraphEmulator.StartAsync(seedPath, allowAnonymous: true, cancellationToken: cancellationToken);
        await using var atlassian = await AtlassianScimEmulator.StartAsync(cancellationToken: cancellationToken);
        var tenant = graph.Snapshot();
        output.MarkupLineInterpolated($"   Graph     {graph.BaseUrl}  ({tenant.Users.Count} users, {tenant.Groups.Count} groups, {tenant.Assignments.Count} assignments to '{graph.Tenant.ServicePrincipal.DisplayName}')");
        output.MarkupLineInterpolated($"   Atlassian {atlassian.BaseUrl}");
        output.WriteLine();

        var workspace = Directory.CreateTempSubdirectory("scimsync-demo-");
        try
        {
            var jobsFile = Path.Combine(workspace.FullName, "jobs.json");
            await File.WriteAllTextAsync(jobsFile, JobFile(graph, atlassian), cancellationToken);
            var configuration = CliConfiguration.Build([], new FileInfo(jobsFile), new Dictionary<string, string?>
            {
                ["ScimSync:State:ConnectionString"] = azurite.ConnectionString,
                ["ScimSync:Queue:ConnectionString"] = azurite.ConnectionString,
                ["ScimSync:Queue:QueueName"] = "scimsync-demo",
                [TokenSetting] = atlassian.ApiKey,
                // A demo should not sit waiting: retry soon, and leave what still waits after a few seconds for the
                // next cycle (group members that are never provisioned, such as users outside the verified domains).
                ["ScimSync:Worker:BaseRetryDelay"] = "00:00:01",
                ["ScimSync:Worker:MaxWaitForRetries"] = "00:00:05",
                ["Logging:LogLevel:Default"] = "Error",
            });
            await using var session = new CliSession(configuration, environment.Output, environment.Error);
            var job = session.SelectJob(JobId);

            output.MarkupLine("[bold]2.[/] Initial cycle: every user and group in scope is read from Graph and provisioned");
            var initial = await SyncExecution.RunAsync(session, job, cancellationToken);
            var initialCounts = Requests(graph.Counters, atlassian.Counters);
            graph.Counters.Reset();
            atlassian.Counters.Reset();
            output.WriteLine();

            output.MarkupLine("[bold]3.[/] Changes in Entra ID, through the Graph emulator's admin API");
            await MakeChangesAsync(graph, output, cancellationToken);
            output.WriteLine();

            output.MarkupLine("[bold]4.[/] Incremental cycle: only what changed is read (Graph delta) and applied");
            var incremental = await SyncExecution.RunAsync(session, job, cancellationToken);
            var incrementalCounts = Requests(graph.Counters, atlassian.Counters);
            output.WriteLine();

            output.MarkupLine("[bold]5.[/] What happened");
            var logs = session.Get<ProvisioningLogService>();
            var initialEntries = await CycleEntriesAsync(logs, job, initial.Report.CycleId, cancellationToken);
            var incrementalEntries = await CycleEntriesAsync(logs, job, incremental.Report.CycleId, cancellationToken);
            output.Write(ActionsTable(initialEntries, incrementalEntries, initial, incremental, initialCounts, incrementalCounts));
            output.Write(NotAppliedTable(initialEntries.Concat(incrementalEntries)));
            var live = atlassian.State.LiveUsers;
            output.MarkupLineInterpolated(
                $"Atlassian now holds {live.Count(u => u.Active)} active and {live.Count(u => !u.Active)} deactivated users, and {atlassian.State.Groups.Count} groups.");
            output.MarkupLineInterpolated($"Total time {Output.PlainTime.Duration(total.Elapsed)}, including starting and stopping the emulators.");
            output.WriteLine();
            output.MarkupLine("Next: read docs/operations.md to run ScimSync against your own tenant ('scimsync validate', 'plan', 'sync', 'status', 'logs').");

            return initial.Succeeded && incremental.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    /// <summary>The demo's job: the demo tenant's assigned users and groups, nested groups flattened, into the emulator.</summary>
    private static string JobFile(GraphEmulator graph, AtlassianScimEmulator atlassian)
    {
        var file = new JsonObject
        {
            ["jobs"] = new JsonArray(new JsonObject
            {
                ["id"] = JobId,
                ["displayName"] = "Demo tenant -> Atlassian emulator",
                ["source"] = new JsonObject { ["baseUrl"] = graph.BaseUrl, ["credential"] = "Anonymous" },
                ["target"] = new JsonObject
                {
                    ["profile"] = "atlassian-cloud",
                    ["baseUrl"] = atlassian.BaseUrl,
                    ["tokenSetting"] = TokenSetting,
                    ["verifiedDomains"] = new JsonArray("contoso.com"),
                    ["allowInsecureLoopback"] = true,
                    // A local emulator takes far more than the 10 requests per second a real tenant gets by default.
                    ["requestsPerSecond"] = 500,
                },
                ["scope"] = new JsonObject
                {
                    ["mode"] = "assigned",
                    ["servicePrincipalId"] = graph.Tenant.ServicePrincipal.Id,
                    ["flattenNestedGroups"] = true,
                },
                ["policy"] = new JsonObject { ["interval"] = "00:05:00", ["maxConcurrency"] = 16 },
            }),
        };
        return file.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static async Task MakeChangesAsync(GraphEmulator graph, IAnsiConsole output, CancellationToken cancellationToken)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(graph.AdminUrl + "/") };
        var snapshot = graph.Snapshot();
        string User(string upn) => snapshot.Users.First(u => string.Equals(Text(u.Properties, "userPrincipalName"), upn, StringComparison.OrdinalIgnoreCase)).Id;
        string Group(string name) => snapshot.Groups.First(g => string.Equals(Text(g.Properties, "displayName"), name, StringComparison.Ordinal)).Id;

        async Task Send(string description, HttpMethod method, string path, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await admin.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException(
                    $"The Graph emulator refused '{method} {path}' ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            output.MarkupLineInterpolated($"   - {description}");
        }

        await Send("Adele Vance's job title: Engineering Manager -> Director of Engineering", HttpMethod.Patch,
            $"users/{User("adele.vance@contoso.com")}", new Dictionary<string, object> { ["jobTitle"] = "Director of Engineering" });
        await Send("Alex Wilber's account disabled", HttpMethod.Post, $"users/{User("alex.wilber@contoso.com")}/disable");
        await Send("Björn Ødegaard unassigned from the Atlassian Cloud app", HttpMethod.Delete, $"assignments/{User("bjorn.odegaard@contoso.com")}");
        await Send("Lee Gu (Legal) added to the group 'Atlassian Users'", HttpMethod.Post,
            $"groups/{Group("Atlassian Users")}/members/{User("lee.gu@contoso.com")}");
        await Send("Group 'Field Operations' renamed to 'Field Service'", HttpMethod.Patch,
            $"groups/{Group("Field Operations")}", new Dictionary<string, object> { ["displayName"] = "Field Service" });

        using var created = await admin.PostAsJsonAsync("users", new Dictionary<string, object>
        {
            ["userPrincipalName"] = "nina.patel@contoso.com",
            ["displayName"] = "Nina Patel",
            ["givenName"] = "Nina",
            ["surname"] = "Patel",
            ["mail"] = "nina.patel@contoso.com",
            ["jobTitle"] = "Field Technician",
            ["department"] = "Field Operations",
            ["accountEnabled"] = true,
        }, cancellationToken);
        created.EnsureSuccessStatusCode();
        var newUser = (await created.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["id"]?.GetValue<string>()
            ?? throw new InvalidOperationException("The Graph emulator created a user without returning its id.");
        await Send("New user Nina Patel, added to 'Field Operations' (now 'Field Service')", HttpMethod.Post,
            $"groups/{Group("Field Operations")}/members/{newUser}");
    }

    private static string? Text(IReadOnlyDictionary<string, JsonElement> properties, string name) =>
        properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<IReadOnlyList<ProvisioningLogEntry>> CycleEntriesAsync(
        ProvisioningLogService logs, ProvisioningJob job, string? cycleId, CancellationToken cancellationToken) =>
        cycleId is null
            ? []
            : await logs.QueryAsync(new ProvisioningLogQuery(job.Id) { CycleId = cycleId }, ProvisioningLogService.MaxEntries, cancellationToken);

    private sealed record RequestCounts(long Graph, long ScimGet, long ScimPost, long ScimPatch, long ScimDelete)
    {
        public long Scim => ScimGet + ScimPost + ScimPatch + ScimDelete;
    }

    private static RequestCounts Requests(RequestCounters graph, RequestCounters scim)
    {
        long Method(string method) => scim.Snapshot()
            .Where(route => route.Key.StartsWith(method + " ", StringComparison.OrdinalIgnoreCase))
            .Sum(route => route.Value.Values.Sum());
        return new RequestCounts(graph.Total, Method("GET"), Method("POST"), Method("PATCH"), Method("DELETE"));
    }

    private static Table ActionsTable(
        IReadOnlyList<ProvisioningLogEntry> initial, IReadOnlyList<ProvisioningLogEntry> incremental,
        SyncExecutionResult initialRun, SyncExecutionResult incrementalRun, RequestCounts initialRequests, RequestCounts incrementalRequests)
    {
        var table = new Table { Title = new TableTitle("Provisioning log entries by action and result") }
            .AddColumns("", "initial cycle", "incremental cycle");
        var keys = initial.Concat(incremental)
            .Select(entry => (entry.SourceIdentity.IdentityType, entry.Action, entry.Status))
            .Distinct()
            .OrderBy(key => key.IdentityType, StringComparer.Ordinal).ThenBy(key => key.Action).ThenBy(key => key.Status);
        foreach (var (kind, action, status) in keys)
        {
            int Count(IReadOnlyList<ProvisioningLogEntry> entries) =>
                entries.Count(e => e.SourceIdentity.IdentityType == kind && e.Action == action && e.Status == status);
            table.AddRow(Markup.Escape($"{kind} {action} ({status})"), Number(Count(initial)), Number(Count(incremental)));
        }

        table.AddEmptyRow();
        table.AddRow("objects read from Graph", Number(initialRun.Report.UsersRead + initialRun.Report.GroupsRead), Number(incrementalRun.Report.UsersRead + incrementalRun.Report.GroupsRead));
        table.AddRow("work items", Number(initialRun.Report.Enqueued), Number(incrementalRun.Report.Enqueued));
        table.AddRow("Graph requests", Number(initialRequests.Graph), Number(incrementalRequests.Graph));
        table.AddRow("SCIM requests (GET/POST/PATCH/DELETE)", Requests(initialRequests), Requests(incrementalRequests));
        table.AddRow("time", Output.PlainTime.Duration(initialRun.Elapsed), Output.PlainTime.Duration(incrementalRun.Elapsed));
        return table;

        static string Number(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        static string Requests(RequestCounts counts) => $"{counts.Scim:N0} ({counts.ScimGet}/{counts.ScimPost}/{counts.ScimPatch}/{counts.ScimDelete})";
    }

    private static Table NotAppliedTable(IEnumerable<ProvisioningLogEntry> entries)
    {
        var table = new Table { Title = new TableTitle("Not applied, and why (from the provisioning logs)") }
            .AddColumns("object", "result", "reason");
        // A work item retried several times logs each attempt; its latest entry says where it stands. "No change"
        // skips are the quiet success of an incremental cycle, not something to explain.
        var latest = entries
            .GroupBy(entry => entry.ChangeId, StringComparer.Ordinal)
            .Select(group => group.MaxBy(entry => entry.ActivityDateTime)!)
            .Where(entry => entry.Error is { ErrorCode: not "EntrySynchronizationSkipped" })
            .OrderBy(entry => entry.SourceIdentity.IdentityType, StringComparer.Ordinal)
            .ThenBy(entry => entry.ActivityDateTime);
        foreach (var entry in latest)
        {
            table.AddRow(
                Markup.Escape($"{entry.SourceIdentity.IdentityType} {entry.SourceIdentity.DisplayName ?? entry.SourceIdentity.Id}"),
                entry.Status.ToString(),
                Markup.Escape(LogsCommand.Details(entry)));
        }

        return table;
    }

    private static string FindNodeModules()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            try
            {
                return NodeTooling.FindNodeModules(start);
            }
            catch (InvalidOperationException)
            {
                // Try the next place; the error below says what to do.
            }
        }

        throw new InvalidOperationException(
            "Azurite is not installed: no node_modules with azurite was found above the current folder. Run 'npm ci' in the repository root (or use ./demo.sh, which does).");
    }

    private static string FindSample(string relativePath)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new CliUsageException($"The demo tenant '{relativePath}' was not found above the current folder; run the demo from the repository, or pass --seed <file>.");
    }
}
