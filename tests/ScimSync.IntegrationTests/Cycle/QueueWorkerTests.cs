using System.Collections.Concurrent;
using System.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Progress;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Cycle;

[Collection(AzuriteCollection.Name)]
public sealed class QueueWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly ScriptedProcessor _processor = new();
    private CycleHarness _harness = null!;
    private IReadOnlyList<string> _u = [];

    public async Task InitializeAsync()
    {
        var seed = new DirectorySeedBuilder();
        // Entra's thresholds scaled down (at least 10 failures and over 40 %), so a small tenant can reach them.
        var lowThresholds = new Dictionary<string, string?>
        {
            ["ScimSync:Quarantine:MinimumFailures"] = "10",
            ["ScimSync:Quarantine:MaxFailures"] = "80",
            ["ScimSync:Quarantine:MaxFailuresIncludingReferences"] = "120",
            ["ScimSync:Worker:BaseRetryDelay"] = "00:00:00.100",
            ["ScimSync:Worker:MaxWaitForRetries"] = "00:00:10",
        };
        _u = seed.AddUsers(12);
        foreach (var user in _u)
        {
            seed.Assign(user, ObjectType.User);
        }

        _harness = await CycleHarness.StartAsync(azurite, seed.Build(), new CycleHarnessOptions
        {
            Configure = services => services.AddSingleton<IWorkItemProcessor>(_processor),
            Settings = lowThresholds,
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private QueueWorker Worker => _harness.Services.GetRequiredService<QueueWorker>();

    [Fact]
    public async Task Draining_processes_every_item_retries_transient_failures_records_progress_and_dead_letters_poison()
    {
        var cycle = await _harness.Runner.RunAsync(CycleHarness.Job);
        _processor.FailOnce[_u[3]] = new WorkItemOutcome(WorkItemResult.RetryLater, "429 from the target", TimeSpan.FromSeconds(1));
        _processor.Outcomes[_u[4]] = new WorkItemOutcome(WorkItemResult.Failed, "InvalidDomain");
        var options = _harness.Services.GetRequiredService<IOptions<WorkQueueOptions>>().Value;
        await new QueueClient(azurite.ConnectionString, options.QueueName).SendMessageAsync("this is not a work item");
        var updates = new ConcurrentQueue<WorkerProgressUpdate>();

        var totals = await Worker.DrainAsync(4, stopWhenEmpty: true, new SynchronousProgress(updates.Enqueue));

        Assert.Equal(new WorkerTotals(Succeeded: 11, Skipped: 0, Failed: 1, RetryLater: 1, Unauthorized: 0, DeadLettered: 1), totals);
        Assert.Equal(12, _processor.Processed.Distinct().Count());
        Assert.Equal(totals.Handled, updates.Count);
        Assert.Contains(updates, u => u.Disposition == WorkerDisposition.DeadLettered);
        var progress = await _harness.Services.GetRequiredService<ProgressStore>().GetAsync(CycleHarness.Job, cycle.CycleId!);
        Assert.Equal((12, 11, 1, 0), (progress.Enqueued, progress.Done, progress.Failed, progress.Remaining));
        Assert.Equal(0, await _harness.Queue.GetApproximateCountAsync());
        Assert.Equal(JobStatus.Active, (await _harness.StateAsync()).Status);
    }

    [Fact]
    public async Task A_refused_token_quarantines_the_job_at_once_with_a_readable_reason_and_keeps_every_object_pending()
    {
        await _harness.Runner.RunAsync(CycleHarness.Job);
        _processor.Default = new WorkItemOutcome(WorkItemResult.Unauthorized, "401 Unauthorized from the SCIM endpoint");

        var totals = await Worker.DrainAsync(2, stopWhenEmpty: true);

        Assert.Equal(12, totals.Unauthorized);
        var state = await _harness.StateAsync();
        Assert.Equal(JobStatus.Quarantined, state.Status);
        Assert.Contains("refused the job's credentials (401/403)", state.Reason, StringComparison.Ordinal);
        Assert.Contains(".target.tokenSetting", state.Reason, StringComparison.Ordinal);
        Assert.NotNull(state.NextAttemptAt);
        var objects = _harness.Services.GetRequiredService<ScimSync.Core.State.Objects.ObjectStateStore>();
        var pending = await objects.ListUnsettledAsync(CycleHarness.Job, ScimSync.Core.Directory.ObjectKind.User).ToListAsync();
        Assert.Equal(12, pending.Count(row => row.Value.Pending is not null));
    }

    [Fact]
    public async Task A_cycle_whose_failures_dominate_quarantines_the_job_once_its_items_have_finished()
    {
        await _harness.Runner.RunAsync(CycleHarness.Job);
        _processor.Default = new WorkItemOutcome(WorkItemResult.Failed, "InvalidDomain");
        _processor.Outcomes[_u[0]] = WorkItemOutcome.Success;

        await Worker.DrainAsync(4, stopWhenEmpty: true);

        var state = await _harness.StateAsync();
        Assert.Equal(JobStatus.Quarantined, state.Status);
        Assert.Contains("11 of 12 work items", state.Reason, StringComparison.Ordinal);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_failing_item_keeps_its_attempt_count_across_delayed_resends_and_turns_poison_at_the_limit_with_its_object_pending()
    {
        await _harness.Runner.RunAsync(CycleHarness.Job);
        _processor.Outcomes[_u[2]] = new WorkItemOutcome(WorkItemResult.RetryLater, "500 from the target");

        var totals = await Worker.DrainAsync(4, stopWhenEmpty: true);

        Assert.Equal([0, 1, 2, 3, 4], _processor.Attempts.Where(a => a.SourceId == _u[2]).Select(a => a.Attempt).Order());
        Assert.Equal(1, totals.DeadLettered);
        var poison = await _harness.Services.GetRequiredService<PoisonMessageStore>().ListAsync(WorkItemSettlement.PoisonSource).ToListAsync();
        Assert.Contains("Gave up after 5 attempts", Assert.Single(poison).Reason, StringComparison.Ordinal);
        var row = (await _harness.Objects.GetAsync(CycleHarness.Job, ScimSync.Core.Directory.ObjectKind.User, new ScimSync.Core.Identity.SourceId(_u[2])))!.Value;
        Assert.True(row.Pending?.Poisoned);
        Assert.Equal("AttemptsExhausted", row.LastError?.Code);
        Assert.Equal(0, await _harness.Queue.GetApproximateCountAsync());
    }

    [Fact]
    public async Task An_unavailable_target_is_waited_for_without_spending_the_items_attempts()
    {
        await _harness.Runner.RunAsync(CycleHarness.Job);
        for (var i = 0; i < 8; i++)
        {
            _processor.Script(_u[5], new WorkItemOutcome(WorkItemResult.TargetUnavailable, "503 from the target", TimeSpan.FromMilliseconds(50)));
        }

        await Worker.DrainAsync(4, stopWhenEmpty: true);

        Assert.Equal(9, _processor.Attempts.Count(a => a.SourceId == _u[5]));
        Assert.All(_processor.Attempts.Where(a => a.SourceId == _u[5]), a => Assert.Equal(0, a.Attempt));
        Assert.Empty(await _harness.Services.GetRequiredService<PoisonMessageStore>().ListAsync(WorkItemSettlement.PoisonSource).ToListAsync());
    }

    [Fact]
    public async Task A_cycle_whose_failures_dominate_is_quarantined_while_its_items_are_still_in_flight()
    {
        await _harness.Runner.RunAsync(CycleHarness.Job);
        _processor.Default = new WorkItemOutcome(WorkItemResult.Failed, "InvalidDomain");
        _processor.Delay = TimeSpan.FromMilliseconds(250);

        await Worker.DrainAsync(1, stopWhenEmpty: true);

        var state = await _harness.StateAsync();
        Assert.Equal(JobStatus.Quarantined, state.Status);
        Assert.True(state.QuarantinedSince < _processor.Attempts.Max(a => a.At), "The job was quarantined only after its last item.");
    }

    [Fact]
    public async Task Failures_below_the_threshold_leave_the_job_active()
    {
        await _harness.Runner.RunAsync(CycleHarness.Job);
        foreach (var user in _u.Take(9))
        {
            _processor.Outcomes[user] = new WorkItemOutcome(WorkItemResult.Failed, "InvalidDomain");
        }

        await Worker.DrainAsync(4, stopWhenEmpty: true);

        Assert.Equal(JobStatus.Active, (await _harness.StateAsync()).Status);
    }

    [Fact]
    public async Task A_retry_cycle_whose_items_all_succeed_lifts_the_quarantine()
    {
        await _harness.Runner.RunAsync(CycleHarness.Job);
        await Worker.DrainAsync(4, stopWhenEmpty: true);
        await _harness.Services.GetRequiredService<JobHealth>().QuarantineNowAsync(CycleHarness.Job, "The SCIM target refused the job's credentials.");
        _harness.Clock.Advance(TimeSpan.FromMinutes(11));

        var retry = await _harness.Runner.RunAsync(CycleHarness.Job);
        Assert.Equal(JobStatus.Quarantined, (await _harness.StateAsync()).Status);
        await Worker.DrainAsync(4, stopWhenEmpty: true);

        Assert.True(retry.FullRead);
        var state = await _harness.StateAsync();
        Assert.Equal(JobStatus.Active, state.Status);
        Assert.Null(state.Reason);
    }

    [Fact]
    public async Task The_scheduler_runs_each_job_cycle_and_works_the_queue_until_stopped()
    {
        var scheduler = _harness.Services.GetRequiredService<JobScheduler>();
        var cycled = new TaskCompletionSource<CycleReport>();
        scheduler.CycleCompleted += (_, report) => cycled.TrySetResult(report);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var allProcessed = new TaskCompletionSource();
        _processor.OnProcessed = () =>
        {
            if (_processor.Processed.Distinct().Count() == _u.Count)
            {
                allProcessed.TrySetResult();
            }
        };

        var running = scheduler.RunAsync(cancellationToken: stop.Token);
        await allProcessed.Task.WaitAsync(stop.Token);
        var first = await cycled.Task.WaitAsync(stop.Token);
        await stop.CancelAsync();
        await running;

        Assert.Equal(CycleStatus.Completed, first.Status);
        Assert.Equal(_u.Count, first.Enqueued);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task An_unreadable_item_in_a_message_is_recorded_as_poison_and_the_item_beside_it_is_applied()
    {
        var options = _harness.Services.GetRequiredService<IOptions<WorkQueueOptions>>().Value;
        var good = Encoding.UTF8.GetString(WorkItemSerializer.Serialize(
            WorkItem.Delete(CycleHarness.Job, "c-1", ObjectKind.User, new SourceId(_u[0]), DateTimeOffset.UtcNow)));
        var body = $$"""{"schemaVersion":3,"items":[{{good}},{"schemaVersion":99}]}""";
        var raw = new QueueClient(azurite.ConnectionString, options.QueueName);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync(options.MessageEncoding == WorkMessageEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(body)) : body);

        var totals = await Worker.DrainAsync(2, stopWhenEmpty: true);

        Assert.Equal([_u[0]], _processor.Processed);
        Assert.Equal((1, 1), (totals.Succeeded, totals.DeadLettered));
        var poison = await _harness.Services.GetRequiredService<PoisonMessageStore>().ListAsync(WorkItemSettlement.PoisonSource).ToListAsync();
        Assert.Equal("""{"schemaVersion":99}""", Assert.Single(poison).Body);
        Assert.Equal(0, await _harness.Queue.GetApproximateCountAsync());
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_message_one_of_whose_items_could_not_be_settled_comes_back_whole_and_every_item_is_applied()
    {
        var processor = new ScriptedProcessor();
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(5);
        foreach (var user in users)
        {
            seed.Assign(user, ObjectType.User);
        }

        await using var harness = await CycleHarness.StartAsync(azurite, seed.Build(), new CycleHarnessOptions
        {
            Configure = services => services.AddSingleton<IWorkItemProcessor>(processor),
            WrapSender = (_, inner) => new DelayedSendFailsOnce(inner),
            Settings = new Dictionary<string, string?> { ["ScimSync:Worker:MaxWaitForRetries"] = "00:00:10" },
        });
        await harness.Runner.RunAsync(CycleHarness.Job);
        processor.FailOnce[users[2]] = new WorkItemOutcome(WorkItemResult.RetryLater, "500 from the target", TimeSpan.FromMilliseconds(100));

        await harness.Services.GetRequiredService<QueueWorker>().DrainAsync(4, stopWhenEmpty: true);

        // The item's delayed resend could not be sent, so the message came back with all five, and all five were applied.
        Assert.All(users, user => Assert.Equal(2, processor.Processed.Count(id => id == user)));
        Assert.Equal(0, await harness.Queue.GetApproximateCountAsync());
        Assert.Empty(await harness.Services.GetRequiredService<PoisonMessageStore>().ListAsync(WorkItemSettlement.PoisonSource).ToListAsync());
    }

    /// <summary>A sender whose first delayed send fails as an unavailable queue does.</summary>
    private sealed class DelayedSendFailsOnce(IWorkItemSender inner) : IWorkItemSender
    {
        private int _failed;

        public int ItemsPerMessage => inner.ItemsPerMessage;

        public Task SendAsync(IReadOnlyCollection<WorkItem> items, TimeSpan visibleAfter, CancellationToken cancellationToken) =>
            visibleAfter > TimeSpan.Zero && Interlocked.Exchange(ref _failed, 1) == 0
                ? Task.FromException(new Azure.RequestFailedException(503, "The queue is unavailable."))
                : inner.SendAsync(items, visibleAfter, cancellationToken);

        public Task<int?> GetQueuedCountAsync(CancellationToken cancellationToken = default) => inner.GetQueuedCountAsync(cancellationToken);
    }

    /// <summary>A processor that answers from a script, so the worker's handling of each outcome is visible.</summary>
    private sealed class ScriptedProcessor : IWorkItemProcessor
    {
        public ConcurrentDictionary<string, WorkItemOutcome> Outcomes { get; } = new();

        public ConcurrentDictionary<string, WorkItemOutcome> FailOnce { get; } = new();

        public WorkItemOutcome Default { get; set; } = WorkItemOutcome.Success;

        public ConcurrentBag<string> Processed { get; } = [];

        public Action? OnProcessed { get; set; }

        public TimeSpan Delay { get; set; }

        public ConcurrentBag<(string SourceId, int Attempt, DateTimeOffset At)> Attempts { get; } = [];

        private ConcurrentDictionary<string, ConcurrentQueue<WorkItemOutcome>> Scripts { get; } = new();

        /// <summary>Answers the next call for <paramref name="sourceId"/> with <paramref name="outcome"/> (in order).</summary>
        public void Script(string sourceId, WorkItemOutcome outcome) => Scripts.GetOrAdd(sourceId, _ => new()).Enqueue(outcome);

        public Task<WorkItemOutcome> ProcessAsync(WorkItem item, RetryChances chances, CancellationToken cancellationToken = default) =>
            ProcessAsync(item, cancellationToken);

        public async Task<WorkItemOutcome> ProcessAsync(WorkItem item, CancellationToken cancellationToken = default)
        {
            Processed.Add(item.SourceId.Value);
            Attempts.Add((item.SourceId.Value, item.Attempt, DateTimeOffset.UtcNow));
            OnProcessed?.Invoke();
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            if (FailOnce.TryRemove(item.SourceId.Value, out var once))
            {
                return once;
            }

            if (Scripts.TryGetValue(item.SourceId.Value, out var script) && script.TryDequeue(out var scripted))
            {
                return scripted;
            }

            return Outcomes.GetValueOrDefault(item.SourceId.Value) ?? Default;
        }
    }

    private sealed class SynchronousProgress(Action<WorkerProgressUpdate> report) : IProgress<WorkerProgressUpdate>
    {
        public void Report(WorkerProgressUpdate value) => report(value);
    }
}
