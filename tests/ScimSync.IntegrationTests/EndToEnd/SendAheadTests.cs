using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Cycle;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Objects;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.EndToEnd;

/// <summary>
/// A cycle that holds more users' upserts than <c>ScimSync:Cycle:MaxHeldObjects</c> sends the ones it has
/// planned while it still reads, each object's change recorded before its message exists, and the target ends equal
/// to the directory. Nothing is sent while a full read could still fall under the job's floor, and a dry run holds
/// its whole plan.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SendAheadTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int MaxHeld = 100;
    private readonly ConcurrentQueue<SendRecord> _sends = new();
    private AtlassianScimEmulator _atlassian = null!;
    private CycleHarness? _harness;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        await _atlassian.DisposeAsync();
    }

    [Fact]
    public async Task A_cycle_holding_more_than_MaxHeldObjects_sends_users_while_it_reads_and_the_target_ends_equal_to_the_directory()
    {
        var users = await StartAsync(users: 320, groups: 4, depth: 100);

        var sync = await _harness!.Services.GetRequiredService<InProcessSyncRunner>().RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, sync.Report.Status);
        Assert.Equal(sync.Report.Enqueued, sync.Totals.Succeeded + sync.Totals.Skipped);
        var pages = _harness.Graph.DeltaRequests(ObjectType.User);
        Assert.Contains(_sends, send => send.UserPagesRead < pages && send.Upserts > 0);
        Assert.All(_sends, send => Assert.Empty(send.SentWithoutRecordedChange));

        var live = _atlassian.State.LiveUsers;
        Assert.Equal(users.Count, live.Count(user => user.Active));
        Assert.Equal(users.Count, live.Select(user => user.UserName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(4, _atlassian.State.Groups.Count);
        Assert.Equal(users.Count, _atlassian.State.Groups.Sum(group => group.Members.Count));
        Assert.Equal(0, (await _harness.Runner.RunAsync(CycleHarness.Job)).Enqueued);
    }

    [Fact]
    public async Task A_full_read_under_the_floor_sends_nothing_ahead_and_aborts_with_an_empty_queue()
    {
        var report = await FullReadAfterDeletingAsync(known: 400, deleted: 250);

        Assert.Equal(CycleStatus.Aborted, report.Status);
        Assert.Contains("returned 150 users in a full read, but the job knows 400", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, report.Enqueued);
        Assert.Empty(_sends);
        Assert.Empty(await _harness!.TakeAllAsync());
    }

    [Fact]
    public async Task A_full_read_above_the_floor_sends_ahead_once_it_passed_it_and_deprovisions_only_at_the_end()
    {
        var report = await FullReadAfterDeletingAsync(known: 400, deleted: 50);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.Equal(350, report.Upserts);
        Assert.Equal(50, report.Deprovisions);
        // Pages of 100: the floor of 200 of 400 is passed after the second page, not before.
        var first = _sends.First();
        Assert.True(first.UserPagesRead >= 2, $"The first send came after {first.UserPagesRead} pages of users, before the floor was passed.");
        var pages = _harness!.Graph.DeltaRequests(ObjectType.User);
        Assert.Contains(_sends, send => send.UserPagesRead < pages);
        Assert.All(_sends.Where(send => send.Deprovisions > 0), send => Assert.Equal(pages, send.UserPagesRead));
        var items = await _harness.TakeAllAsync();
        Assert.Equal(report.Enqueued, items.Count);
        Assert.Equal(350, items.Where(item => item.Operation == WorkOperation.Upsert).Select(item => item.SourceId).Distinct().Count());
    }

    [Fact]
    public async Task A_first_sync_against_a_target_holding_many_users_lists_it_before_sending_ahead_so_no_user_is_looked_up()
    {
        // Pages of 10 users and 150 groups held: the hold is full before the first page of users is.
        var users = await StartAsync(users: 320, groups: 150, depth: 0, userPageSize: 10);
        for (var i = 0; i < 1_000; i++)
        {
            _atlassian.State.SeedUser(new AtlassianSeedUser { UserName = $"foreign{i:D4}@contoso.com", Active = false });
        }

        var report = await _harness!.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.Contains(_sends, send => send.UserPagesRead < _harness.Graph.DeltaRequests(ObjectType.User) && send.Upserts > 0);
        var upserts = (await _harness.TakeAllAsync()).Where(item => item.Operation == WorkOperation.Upsert && item.Kind == Core.Directory.ObjectKind.User).ToList();
        Assert.Equal(users.Count, upserts.Count);
        Assert.All(upserts, item => Assert.Single(item.AbsentMatches));
        Assert.Equal(0, _atlassian.Lists.UserLookups);
    }

    [Fact]
    public async Task A_dry_run_holds_its_whole_plan_and_sends_nothing()
    {
        var users = await StartAsync(users: 320, groups: 4, depth: 0);

        var report = await _harness!.Runner.RunAsync(CycleHarness.Job, new CycleOptions(DryRun: true));

        Assert.Equal(CycleStatus.Planned, report.Status);
        Assert.Equal(users.Count, report.PlannedItems!.Count(item => item.Operation == WorkOperation.Upsert && item.Kind == Core.Directory.ObjectKind.User));
        Assert.Empty(_sends);
        Assert.Equal(0, await _harness.PeekQueuedItemCountAsync());
    }

    /// <summary>Provisions <paramref name="known"/> users, deletes some from the directory, and runs a full read.</summary>
    private async Task<CycleReport> FullReadAfterDeletingAsync(int known, int deleted)
    {
        var users = await StartAsync(users: known, groups: 0, depth: 0);
        Assert.Equal(CycleStatus.Completed, (await _harness!.Runner.RunAsync(CycleHarness.Job)).Status);
        await _harness.MarkProvisionedAsync(await _harness.TakeAllAsync());
        _sends.Clear();
        foreach (var id in users.Take(deleted))
        {
            _harness.Graph.Tenant.HardDeleteUser(id);
        }

        return await _harness.Runner.RunAsync(CycleHarness.Job, new CycleOptions(ForceFull: true));
    }

    private async Task<IReadOnlyList<string>> StartAsync(int users, int groups, int depth, int userPageSize = 100)
    {
        var (seed, ids) = AssignedTenant.Build(users, groups, "Ahead group");
        _harness = await CycleHarness.StartAsync(azurite, seed, new CycleHarnessOptions
        {
            Policy = new JsonObject { ["interval"] = "00:01:00", ["maxConcurrency"] = 8 },
            TargetBaseUrl = _atlassian.BaseUrl,
            Token = _atlassian.ApiKey,
            Settings = new Dictionary<string, string?>
            {
                ["ScimSync:Cycle:MaxHeldObjects"] = MaxHeld.ToString(CultureInfo.InvariantCulture),
                ["ScimSync:Cycle:MaxQueueDepth"] = depth.ToString(CultureInfo.InvariantCulture),
                ["ScimSync:Cycle:MaxWaveWait"] = "00:02:00",
            },
            WrapSender = (services, inner) => new RecordingSender(inner, services.GetRequiredService<ObjectStateStore>(), this),
            Configure = services => services.AddReconciliation(),
        }, new GraphEmulatorOptions { UserPageSize = userPageSize });
        return ids;
    }

    /// <param name="UserPagesRead">Pages of users the cycle had read from Graph when it sent.</param>
    /// <param name="Upserts">Upserts in the send.</param>
    /// <param name="Deprovisions">Deprovisions in the send.</param>
    /// <param name="SentWithoutRecordedChange">Upserts whose object had no recorded change when its message was sent.</param>
    private sealed record SendRecord(long UserPagesRead, int Upserts, int Deprovisions, IReadOnlyList<string> SentWithoutRecordedChange);

    private sealed class RecordingSender(IWorkItemSender inner, ObjectStateStore objects, SendAheadTests test) : IWorkItemSender
    {
        public async Task SendAsync(IReadOnlyCollection<WorkItem> items, TimeSpan visibleAfter, CancellationToken cancellationToken)
        {
            // Only the cycle's own sends: a worker's delayed retry is not one.
            if (visibleAfter == TimeSpan.Zero && items.All(item => item.Resends == 0))
            {
                var pages = test._harness!.Graph.DeltaRequests(ObjectType.User);
                var unrecorded = new List<string>();
                foreach (var item in items.Where(item => item.Operation == WorkOperation.Upsert))
                {
                    var state = (await objects.GetAsync(item.Job, item.Kind, item.SourceId, cancellationToken))?.Value;
                    if (state?.Pending?.ChangeId != item.ChangeId)
                    {
                        unrecorded.Add($"{item.Kind} {item.SourceId}");
                    }
                }

                test._sends.Enqueue(new SendRecord(
                    pages, items.Count(item => item.Operation == WorkOperation.Upsert), items.Count(item => item.Operation == WorkOperation.Deprovision), unrecorded));
            }

            await inner.SendAsync(items, visibleAfter, cancellationToken);
        }

        public Task<int?> GetQueuedCountAsync(CancellationToken cancellationToken = default) => inner.GetQueuedCountAsync(cancellationToken);
    }
}
