using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Watermarks;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.EndToEnd;

/// <summary>
/// A cycle with more work than <c>ScimSync:Cycle:MaxQueueDepth</c> sends it in waves as the workers make room: the queue
/// never holds more than the depth, every wave's changes (a membership slice's: its group's desired edges) are recorded
/// before its messages exist, and the target ends equal to the directory. With no worker at all, the cycle stops
/// waiting after <c>MaxWaveWait</c> and sends the rest; one that loses its lease while it waits stops, its watermark
/// where it was. Without waves, a large plan still goes out a bounded part at a time.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueWaveTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int Depth = 100;
    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Fact]
    public async Task A_cycle_larger_than_the_queue_depth_is_sent_in_waves_never_fills_the_queue_past_it_and_provisions_everyone()
    {
        var (seed, users) = AssignedTenant.Build(users: 320, groups: 4, "Wave group");
        var sends = new ConcurrentQueue<SendRecord>();
        await using var harness = await StartAsync(seed, maxWaveWait: "00:02:00", sends);

        var sync = await harness.Services.GetRequiredService<InProcessSyncRunner>().RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, sync.Report.Status);
        Assert.Equal(sync.Report.Enqueued, sync.Totals.Succeeded + sync.Totals.Skipped);
        Assert.True(sends.Count >= 4, $"{sends.Count} sends: the {sync.Report.Enqueued} items went in fewer waves than {Depth} a wave allows.");
        // A worker's delayed retry may land between the cycle's count and this one: at most one per slot.
        Assert.All(sends, send => Assert.True(send.QueuedBefore + send.Items <= Depth + 8,
            $"A wave of {send.Items} was sent onto {send.QueuedBefore} queued messages: more than the depth of {Depth}."));
        Assert.All(sends, send => Assert.Empty(send.SentWithoutRecordedChange));

        var live = _atlassian.State.LiveUsers;
        Assert.Equal(users.Count, live.Count(user => user.Active));
        Assert.Equal(users.Count, live.Select(user => user.UserName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(4, _atlassian.State.Groups.Count);
        Assert.Equal(users.Count, _atlassian.State.Groups.Sum(group => group.Members.Count));
        Assert.Equal(0, (await harness.Runner.RunAsync(CycleHarness.Job)).Enqueued);
    }

    [Fact]
    public async Task With_no_worker_running_the_cycle_stops_waiting_after_MaxWaveWait_sends_the_rest_and_moves_its_watermark()
    {
        var (seed, users) = AssignedTenant.Build(users: 250, groups: 0, "Wave group");
        await using var harness = await StartAsync(seed, maxWaveWait: "00:00:02", sends: null);

        var report = await harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.Equal(users.Count, report.Enqueued);
        Assert.Equal(users.Count, await harness.PeekQueuedItemCountAsync());
        Assert.Equal(0, (await harness.Runner.RunAsync(CycleHarness.Job)).Enqueued);
        await harness.Services.GetRequiredService<QueueWorker>().DrainAsync(16, stopWhenEmpty: true);
        Assert.Equal(users.Count, _atlassian.State.LiveUsers.Count(user => user.Active));
    }

    [Fact]
    public async Task Without_waves_a_large_plan_is_still_recorded_and_sent_a_thousand_items_at_a_time()
    {
        var (seed, users) = AssignedTenant.Build(users: 2_500, groups: 0, "Wave group");
        var sends = new ConcurrentQueue<SendRecord>();
        await using var harness = await StartAsync(seed, maxWaveWait: "00:02:00", sends, depth: 0);

        var report = await harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.Equal(users.Count, report.Enqueued);
        Assert.Equal(users.Count, sends.Sum(send => send.Items));
        Assert.All(sends, send => Assert.Empty(send.SentWithoutRecordedChange));
        // The first messages went out with a thousand changes recorded, not the whole plan's.
        Assert.Equal(1_000, sends.First().ChangesRecorded);
        Assert.Equal(users.Count, sends.Last().ChangesRecorded);
    }

    [Fact]
    public async Task A_cycle_that_loses_its_lease_while_it_waits_for_room_fails_and_leaves_its_watermark()
    {
        var (seed, _) = AssignedTenant.Build(users: 250, groups: 0, "Wave group");
        await using var harness = await StartAsync(seed, maxWaveWait: "00:02:00", sends: null, leaseDuration: "00:01:00");

        var cycle = harness.Runner.RunAsync(CycleHarness.Job);
        for (var waited = 0; await harness.PeekQueuedItemCountAsync() < Depth && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        var taken = Assert.IsType<LeaseResult.Acquired>(await harness.JobStates.TryAcquireLeaseAsync(CycleHarness.Job, "another-cycle", TimeSpan.FromMinutes(10)));
        var report = await cycle;

        Assert.Equal(CycleStatus.Failed, report.Status);
        Assert.Contains("lost its lease to another-cycle while it waited for the queue to make room", report.Message, StringComparison.Ordinal);
        Assert.Equal(Depth, await harness.PeekQueuedItemCountAsync());
        Assert.Null(await harness.Services.GetRequiredService<WatermarkStore>().GetAsync(CycleHarness.Job, WatermarkKind.Users));
        Assert.True(await harness.JobStates.ReleaseLeaseAsync(taken.Lease));
    }

    private Task<CycleHarness> StartAsync(
        DirectorySeed seed, string maxWaveWait, ConcurrentQueue<SendRecord>? sends, string leaseDuration = "00:30:00", int depth = Depth) =>
        CycleHarness.StartAsync(azurite, seed, new CycleHarnessOptions
        {
            Policy = new JsonObject { ["interval"] = "00:01:00", ["maxConcurrency"] = 8 },
            TargetBaseUrl = _atlassian.BaseUrl,
            Token = _atlassian.ApiKey,
            Settings = new Dictionary<string, string?>
            {
                ["ScimSync:Cycle:MaxQueueDepth"] = depth.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ScimSync:Cycle:MaxWaveWait"] = maxWaveWait,
                ["ScimSync:Cycle:LeaseDuration"] = leaseDuration,
            },
            WrapSender = sends is null ? null : (services, inner) => new RecordingSender(inner, services.GetRequiredService<ObjectStateStore>(), services.GetRequiredService<MembershipStore>(), sends),
            Configure = services => services.AddReconciliation(),
        });

    /// <param name="QueuedBefore">Messages in the queue when the send began.</param>
    /// <param name="Items">Items in the send.</param>
    /// <param name="SentWithoutRecordedChange">Items whose object had no recorded change when its message was sent.</param>
    /// <param name="ChangesRecorded">Users with a change recorded when the send began.</param>
    private sealed record SendRecord(int QueuedBefore, int Items, IReadOnlyList<string> SentWithoutRecordedChange, int ChangesRecorded);

    private sealed class RecordingSender(IWorkItemSender inner, ObjectStateStore objects, MembershipStore memberships, ConcurrentQueue<SendRecord> sends) : IWorkItemSender
    {
        public async Task SendAsync(IReadOnlyCollection<WorkItem> items, TimeSpan visibleAfter, CancellationToken cancellationToken)
        {
            // Only the cycle's own sends: a worker's delayed retry is not a wave.
            if (visibleAfter == TimeSpan.Zero && items.All(item => item.Resends == 0))
            {
                var unrecorded = new List<string>();
                foreach (var item in items)
                {
                    var state = (await objects.GetAsync(item.Job, item.Kind, item.SourceId, cancellationToken))?.Value;
                    var recorded = item.Membership is { } slice
                        ? state?.MembersPending == true && await DesiredAsRecordedAsync(item, slice, cancellationToken)
                        : state?.Pending?.ChangeId == item.ChangeId;
                    if (!recorded)
                    {
                        unrecorded.Add($"{item.Kind} {item.SourceId} {item.Operation}");
                    }
                }

                var recordedChanges = await objects.ListAsync(items.First().Job, ObjectKind.User, cancellationToken).CountAsync(row => row.Value.Pending is not null, cancellationToken);
                sends.Enqueue(new SendRecord(await inner.GetQueuedCountAsync(cancellationToken) ?? 0, items.Count, unrecorded, recordedChanges));
            }

            await inner.SendAsync(items, visibleAfter, cancellationToken);
        }

        public Task<int?> GetQueuedCountAsync(CancellationToken cancellationToken = default) => inner.GetQueuedCountAsync(cancellationToken);

        private async Task<bool> DesiredAsRecordedAsync(WorkItem item, MembershipChunk slice, CancellationToken cancellationToken)
        {
            var edges = await memberships.ListAsync(item.Job, slice.Group, cancellationToken).ToDictionaryAsync(edge => edge.Member, cancellationToken: cancellationToken);
            return slice.Add.All(member => edges.TryGetValue(member.Id, out var edge) && edge.Desired)
                && slice.Remove.All(member => edges.TryGetValue(member.Id, out var edge) && !edge.Desired);
        }
    }
}
