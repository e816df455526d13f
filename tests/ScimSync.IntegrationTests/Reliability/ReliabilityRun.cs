using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.Logging;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.IntegrationTests.Admin;
using ScimSync.IntegrationTests.Cycle;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// One job of the reliability suite: the engine composed as a host composes it, reading the Graph emulator and
/// writing to the Atlassian emulator, with retries within seconds so faults are worked through quickly. It runs
/// cycles and drains, watches that the job is never quarantined for transient trouble, and records the figures of
/// the run where test.sh keeps results (<c>reliability/*.json</c>).
/// </summary>
internal sealed class ReliabilityRun : IAsyncDisposable
{
    private static readonly Dictionary<string, string?> FastRedrive = new()
    {
        ["ScimSync:Worker:BaseRetryDelay"] = "00:00:01",
        ["ScimSync:Worker:MaxRetryDelay"] = "00:00:05",
        ["ScimSync:Worker:MaxWaitForRetries"] = "00:00:15",
        ["ScimSync:Worker:InFlightGrace"] = "00:00:00",
        ["ScimSync:Worker:PoisonRetryDelay"] = "00:00:00",
        ["ScimSync:Worker:VisibilityTimeout"] = "00:00:10",
        ["ScimSync:Worker:IdleDelay"] = "00:00:00.500",
        // Cycles send in waves, as in production, and wait for room for at most a minute in all.
        ["ScimSync:Cycle:MaxQueueDepth"] = "500",
        ["ScimSync:Cycle:MaxWaveWait"] = "00:01:00",
    };

    private readonly ITestOutputHelper _output;

    private ReliabilityRun(CycleHarness harness, AtlassianScimEmulator target, ITestOutputHelper output)
    {
        Harness = harness;
        Target = target;
        _output = output;
    }

    public CycleHarness Harness { get; }

    public AtlassianScimEmulator Target { get; }

    public GraphEmulator Graph => Harness.Graph;

    /// <summary>Cycles run so far, with their reports.</summary>
    public List<CycleReport> Cycles { get; } = [];

    /// <summary>Whether the job was ever found quarantined after a cycle or drain.</summary>
    public bool EverQuarantined { get; private set; }

    public static async Task<ReliabilityRun> StartAsync(string storage, DirectorySeed seed, AtlassianScimEmulator target, ITestOutputHelper output,
        GraphEmulatorOptions? graphOptions = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(FastRedrive);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var harness = await CycleHarness.StartAsync(storage, seed, new CycleHarnessOptions
        {
            Policy = new JsonObject { ["interval"] = "00:01:00", ["quarantineInterval"] = "00:30:00" },
            TargetBaseUrl = target.BaseUrl,
            Token = target.ApiKey,
            Settings = all,
            Configure = services => services.AddReconciliation(),
        }, graphOptions);
        return new ReliabilityRun(harness, target, output);
    }

    public QueueWorker Worker => Harness.Services.GetRequiredService<QueueWorker>();

    /// <summary>One cycle and a drain of everything it enqueued, side by side, as the timer and the queue trigger would run them.</summary>
    public async Task<CycleReport> SyncAsync(CancellationToken cancellationToken = default)
    {
        var cycle = Harness.Runner.RunAsync(CycleHarness.Job, cancellationToken: cancellationToken);
        await Worker.DrainWhileAsync(16, cycle, cancellationToken: cancellationToken);
        var report = await cycle;
        Cycles.Add(report);
        await NoteQuarantineAsync();
        _output.WriteLine($"cycle {Cycles.Count}: {report.Status} {report.Message}");
        return report;
    }

    /// <summary>
    /// Runs clean cycles until the target equals the directory (at most <paramref name="maxCycles"/>), moving the
    /// clock past any create claim a cut-off request left behind; returns how many cycles that took.
    /// </summary>
    public async Task<int> ConvergeAsync(int maxCycles = 4)
    {
        for (var cycle = 1; ; cycle++)
        {
            Harness.Clock.Advance(TimeSpan.FromMinutes(4));
            await SyncAsync();
            var comparison = Compare();
            if (comparison.Converged)
            {
                return cycle;
            }

            _output.WriteLine($"  {comparison.Problems.Count} differences, e.g. {string.Join("; ", comparison.Problems.Take(3))}");

            if (cycle == maxCycles)
            {
                await DescribeAsync(comparison);
                comparison.AssertConverged();
            }
        }
    }

    /// <summary>Writes what the engine knows of each user a difference names: its state, its edges and its log entries.</summary>
    private async Task DescribeAsync(TargetComparison comparison)
    {
        var idOf = Graph.Snapshot().ActiveUsers.ToDictionary(
            user => user.Properties["userPrincipalName"].GetString()!.ToLowerInvariant(), user => user.Id);
        var named = comparison.Problems.SelectMany(problem => Regex.Matches(problem, @"[\w.-]+@[\w.-]+").Select(match => match.Value))
            .Distinct().Take(3);
        var logs = await LogsAsync();
        var memberships = Harness.Services.GetRequiredService<MembershipStore>();
        foreach (var upn in named)
        {
            if (!idOf.TryGetValue(upn.ToLowerInvariant(), out var id))
            {
                continue;
            }

            var state = await Harness.Objects.GetAsync(CycleHarness.Job, ObjectKind.User, new SourceId(id));
            _output.WriteLine($"{upn} ({id}): {JsonSerializer.Serialize(state?.Value)}");
            await foreach (var edge in memberships.ListEdgesOfMemberAsync(CycleHarness.Job, new SourceId(id)))
            {
                _output.WriteLine($"  edge {edge}");
            }

            foreach (var entry in logs.Where(entry => entry.SourceIdentity.Id == id || entry.Steps.Any(step => step.Description.Contains(upn, StringComparison.OrdinalIgnoreCase) || step.Description.Contains(id, StringComparison.OrdinalIgnoreCase))))
            {
                _output.WriteLine($"  log {entry.ActivityDateTime:HH:mm:ss.fff} {entry.SourceIdentity.IdentityType} {entry.SourceIdentity.DisplayName} {entry.Action} {entry.Status} {entry.Error?.ErrorCode}: "
                    + string.Join(" | ", entry.Steps.Select(step => $"{step.Name} {step.Status} {step.Description}")));
            }
        }
    }

    public TargetComparison Compare() => TargetConvergence.Compare(Graph.Snapshot(), Target.State);

    public async Task NoteQuarantineAsync() =>
        EverQuarantined |= (await Harness.StateAsync()).Status == JobStatus.Quarantined;

    /// <summary>Every provisioning log entry of the job.</summary>
    public async Task<List<ProvisioningLogEntry>> LogsAsync()
    {
        var store = Harness.Services.GetRequiredService<ProvisioningLogStore>();
        var entries = new List<ProvisioningLogEntry>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(new ProvisioningLogQuery(CycleHarness.Job) { From = DateTimeOffset.UtcNow.AddDays(-1) }, token, 1000);
            entries.AddRange(page.Entries);
            token = page.ContinuationToken;
        }
        while (token is not null);

        return entries;
    }

    /// <summary>Failed attempts the provisioning logs record for users, as steps of an entry or as the entry's own outcome.</summary>
    public static int FailedAttempts(IEnumerable<ProvisioningLogEntry> entries) =>
        entries.Where(entry => entry.SourceIdentity.IdentityType == "User").Sum(entry => entry.Steps.Count(step => step.Status == ProvisioningStatus.Failure && step.Description.StartsWith("Attempt ", StringComparison.Ordinal))
            + (entry.Status == ProvisioningStatus.Failure ? 1 : 0));

    /// <summary>Writes the run's figures to the test output and to <c>reliability/{name}.json</c> in the test results.</summary>
    public void Record(string name, JsonObject figures)
    {
        var text = figures.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        _output.WriteLine(text);
        var folder = TestResultsFolder.For("reliability");
        folder.Create();
        File.WriteAllText(Path.Combine(folder.FullName, name + ".json"), text);
    }

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
