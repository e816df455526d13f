using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using ScimSync.Core.Admin;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Objects;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Cycle;

[Collection(AzuriteCollection.Name)]
public sealed class SyncCycleRunnerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private CycleHarness _harness = null!;
    private IReadOnlyList<string> _u = [];
    private string _platform = "";
    private string _sre = "";
    private readonly CrashAfterEnqueue _crash = new();

    public async Task InitializeAsync()
    {
        var seed = new DirectorySeedBuilder();
        _u = seed.AddUsers(10);
        _sre = seed.AddGroup("Engineering - SRE", _u.Skip(5).Take(2));            // u5, u6
        _platform = seed.AddGroup("Platform", _u.Take(5).Append(_sre));             // u0..u4 + nested SRE
        seed.Assign(_platform, ObjectType.Group).Assign(_u[7], ObjectType.User);    // u8, u9 not in scope
        _harness = await CycleHarness.StartAsync(azurite, seed.Build(), new CycleHarnessOptions
        {
            WrapSender = (_, inner) => _crash.Wrap(inner),
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task The_initial_cycle_reads_everything_and_enqueues_in_scope_users_groups_and_memberships()
    {
        var report = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.True(report.FullRead);
        var items = await _harness.TakeAllAsync();
        Assert.Equal(Ids(0, 1, 2, 3, 4, 5, 6, 7), CycleHarness.Ids(items, WorkOperation.Upsert, ObjectKind.User));
        Assert.Equal([_platform], CycleHarness.Ids(items, WorkOperation.Upsert, ObjectKind.Group));
        var chunk = Assert.Single(items, i => i.Operation == WorkOperation.MembershipChunk).Membership!;
        Assert.Equal(Ids(0, 1, 2, 3, 4, 5, 6), chunk.Add.Select(m => m.Id.Value).Order(StringComparer.Ordinal));
        Assert.Equal(7, chunk.DesiredMemberCount);
        Assert.DoesNotContain(items, i => i.Operation is WorkOperation.Deprovision or WorkOperation.Delete);
        Assert.Equal(report.Enqueued, items.Count);
        Assert.Equal(2, (await _harness.Status.GetStatusAsync(CycleHarness.Job)).Watermarks.Count);
        Assert.Equal(CycleOutcome.Completed, (await _harness.StateAsync()).LastCycle!.Outcome);
    }

    [Fact]
    public async Task Each_upsert_of_an_object_with_no_state_row_carries_the_row_the_cycle_inserted_exactly_as_stored()
    {
        await _harness.Runner.RunAsync(CycleHarness.Job);

        var items = await _harness.TakeAllAsync();
        var upserts = items.Where(item => item.Operation == WorkOperation.Upsert).ToList();
        Assert.Equal(9, upserts.Count);
        foreach (var item in upserts)
        {
            Assert.Equal(await _harness.Objects.GetAsync(CycleHarness.Job, item.Kind, item.SourceId), ObjectStateStore.InsertedRowOf(item));
        }

        Assert.All(items.Where(item => item.Operation != WorkOperation.Upsert), item => Assert.Null(item.InsertedRow));
        _harness.Graph.Tenant.UpdateUser(_u[1], "department", "Finance");
        await _harness.Runner.RunAsync(CycleHarness.Job);
        Assert.Null(Assert.Single(await _harness.TakeAllAsync()).InsertedRow);
    }

    [Fact]
    public async Task An_incremental_cycle_enqueues_only_what_changed_with_one_delta_round_per_kind_and_one_read_for_the_unassigned()
    {
        await _harness.MarkProvisionedAsync(await FirstCycleAsync());
        var tenant = _harness.Graph.Tenant;
        tenant.UpdateUser(_u[1], "department", "Finance");
        tenant.Unassign(_u[7]);
        tenant.RemoveMember(_sre, _u[6]);
        var usersBefore = _harness.Graph.DeltaRequests(ObjectType.User);
        var groupsBefore = _harness.Graph.DeltaRequests(ObjectType.Group);

        var report = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.False(report.FullRead);
        var items = await _harness.TakeAllAsync();
        Assert.Equal([_u[1]], CycleHarness.Ids(items, WorkOperation.Upsert, ObjectKind.User));
        Assert.Equal(Ids(6, 7), CycleHarness.Ids(items, WorkOperation.Deprovision, ObjectKind.User));
        var removal = Assert.Single(items, i => i.Operation == WorkOperation.MembershipChunk).Membership!;
        Assert.Equal(Ids(6), removal.Remove.Select(m => m.Id.Value));
        Assert.Equal(6, removal.DesiredMemberCount);
        // One delta round, plus one read by id of the unassigned user, whose object did not change.
        Assert.Equal(2, _harness.Graph.DeltaRequests(ObjectType.User) - usersBefore);
        Assert.Equal(1, _harness.Graph.DeltaRequests(ObjectType.Group) - groupsBefore);
    }

    [Fact]
    public async Task A_crash_after_enqueue_and_before_the_watermark_repeats_the_cycle_with_the_same_work_item_ids_without_losing_the_change()
    {
        await _harness.MarkProvisionedAsync(await FirstCycleAsync());
        var before = (await _harness.Status.GetStatusAsync(CycleHarness.Job)).Watermarks;
        _harness.Graph.Tenant.UpdateUser(_u[2], "department", "Legal");

        _crash.Armed = true;
        var crashed = await _harness.Runner.RunAsync(CycleHarness.Job);
        _crash.Armed = false;

        Assert.Equal(CycleStatus.Failed, crashed.Status);
        Assert.Contains("next cycle", crashed.Message, StringComparison.Ordinal);
        var crashedItems = await _harness.TakeAllAsync();
        Assert.Equal([_u[2]], CycleHarness.Ids(crashedItems, WorkOperation.Upsert, ObjectKind.User));
        Assert.Equal(before, (await _harness.Status.GetStatusAsync(CycleHarness.Job)).Watermarks);
        Assert.Equal(CycleOutcome.Failed, (await _harness.StateAsync()).LastCycle!.Outcome);
        Assert.Equal(JobStatus.Active, (await _harness.StateAsync()).Status);

        var repeated = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, repeated.Status);
        var repeatedItems = await _harness.TakeAllAsync();
        Assert.Equal([_u[2]], CycleHarness.Ids(repeatedItems, WorkOperation.Upsert, ObjectKind.User));
        Assert.NotEqual(crashed.CycleId, repeated.CycleId);
        Assert.Equal(crashedItems.Select(item => item.Id).Order(), repeatedItems.Select(item => item.Id).Order());
        var after = await _harness.Runner.RunAsync(CycleHarness.Job);
        Assert.Equal(0, after.Enqueued);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_full_read_that_returns_far_fewer_users_than_the_job_knows_aborts_before_anything_is_enqueued()
    {
        await _harness.MarkProvisionedAsync(await FirstCycleAsync());
        var before = (await _harness.Status.GetStatusAsync(CycleHarness.Job)).Watermarks;
        foreach (var id in _u.Take(8))
        {
            _harness.Graph.Tenant.HardDeleteUser(id);
        }

        var report = await _harness.Runner.RunAsync(CycleHarness.Job, new CycleOptions(ForceFull: true));

        Assert.Equal(CycleStatus.Aborted, report.Status);
        Assert.Contains("returned 2 users in a full read, but the job knows 8", report.Message, StringComparison.Ordinal);
        Assert.Contains("jobs[0].policy.minimumFullReadRatio", report.Message, StringComparison.Ordinal);
        Assert.Empty(await _harness.TakeAllAsync());
        Assert.Equal(before, (await _harness.Status.GetStatusAsync(CycleHarness.Job)).Watermarks);
        var state = await _harness.StateAsync();
        Assert.Equal(CycleOutcome.Aborted, state.LastCycle!.Outcome);
        Assert.Equal(1, state.Counters.ConsecutiveFailedCycles);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task An_empty_Graph_answer_aborts_even_on_the_first_cycle()
    {
        foreach (var id in _u)
        {
            _harness.Graph.Tenant.HardDeleteUser(id);
        }

        var report = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Aborted, report.Status);
        Assert.Contains("returned no users", report.Message, StringComparison.Ordinal);
        Assert.Empty(await _harness.TakeAllAsync());
        Assert.Empty((await _harness.Status.GetStatusAsync(CycleHarness.Job)).Watermarks);
    }

    [Fact]
    public async Task A_held_lease_means_another_cycle_runs_and_this_one_does_nothing()
    {
        var other = await _harness.JobStates.TryAcquireLeaseAsync(CycleHarness.Job, "other-host", TimeSpan.FromMinutes(5));
        Assert.IsType<LeaseResult.Acquired>(other);

        var report = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.AlreadyRunning, report.Status);
        Assert.Contains("other-host", report.Message, StringComparison.Ordinal);
        Assert.Empty(await _harness.TakeAllAsync());
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task Graph_asking_for_a_resync_starts_a_full_read_in_the_same_cycle()
    {
        await _harness.MarkProvisionedAsync(await FirstCycleAsync());
        _harness.Graph.Controls.ExpireAllTokens();
        _harness.Graph.Tenant.UpdateUser(_u[3], "department", "Sales");

        var report = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.True(report.FullRead);
        Assert.Contains(_u[3], CycleHarness.Ids(await _harness.TakeAllAsync(), WorkOperation.Upsert, ObjectKind.User));
        var next = await _harness.Runner.RunAsync(CycleHarness.Job);
        Assert.False(next.FullRead);
    }

    [Fact]
    public async Task A_dry_run_plans_the_items_and_writes_nothing()
    {
        var report = await _harness.Runner.RunAsync(CycleHarness.Job, new CycleOptions(DryRun: true));

        Assert.Equal(CycleStatus.Planned, report.Status);
        Assert.Equal(Ids(0, 1, 2, 3, 4, 5, 6, 7), CycleHarness.Ids(report.PlannedItems, WorkOperation.Upsert, ObjectKind.User));
        Assert.Empty(await _harness.TakeAllAsync());
        Assert.Null(await _harness.JobStates.GetAsync(CycleHarness.Job));
        Assert.Empty((await _harness.Status.GetStatusAsync(CycleHarness.Job)).Watermarks);
    }

    [Fact]
    public async Task Restart_forgets_the_watermark_and_a_full_restart_forgets_the_target_links()
    {
        await _harness.MarkProvisionedAsync(await FirstCycleAsync());

        await _harness.Admin.RestartAsync(CycleHarness.Job);
        Assert.Empty((await _harness.Status.GetStatusAsync(CycleHarness.Job)).Watermarks);
        var reread = await _harness.Runner.RunAsync(CycleHarness.Job);
        Assert.True(reread.FullRead);
        Assert.Equal(8, reread.Upserts - 1);
        Assert.NotNull(await _harness.Objects.GetAsync(CycleHarness.Job, ObjectKind.User, new(_u[0])));

        await _harness.Admin.RestartAsync(CycleHarness.Job, RestartScope.Full);
        Assert.Null(await _harness.Objects.GetAsync(CycleHarness.Job, ObjectKind.User, new(_u[0])));
    }

    [Fact]
    public async Task A_paused_or_quarantined_job_skips_until_resumed_due_or_restarted()
    {
        await _harness.Admin.PauseAsync(CycleHarness.Job);
        var paused = await _harness.Runner.RunAsync(CycleHarness.Job);
        Assert.Equal(CycleStatus.Skipped, paused.Status);
        Assert.Contains("paused", paused.Message, StringComparison.Ordinal);

        await _harness.Admin.ResumeAsync(CycleHarness.Job);
        await _harness.Services.GetRequiredService<JobHealth>().QuarantineNowAsync(CycleHarness.Job, "The SCIM target refused the job's credentials.");
        var quarantined = await _harness.Runner.RunAsync(CycleHarness.Job);
        Assert.Equal(CycleStatus.Skipped, quarantined.Status);
        Assert.Contains("is quarantined: The SCIM target refused", quarantined.Message, StringComparison.Ordinal);
        Assert.Equal(_harness.Clock.GetUtcNow().AddMinutes(10), quarantined.NextAttemptAt!.Value, TimeSpan.FromMinutes(1));
        var status = await _harness.Status.GetStatusAsync(CycleHarness.Job);
        Assert.Contains("Next attempt at", status.Summary, StringComparison.Ordinal);

        await _harness.Admin.RestartAsync(CycleHarness.Job, RestartScope.QuarantineState);
        Assert.Equal(CycleStatus.Completed, (await _harness.Runner.RunAsync(CycleHarness.Job)).Status);
    }

    [Fact]
    public async Task A_quarantined_job_runs_a_full_retry_once_due()
    {
        await _harness.MarkProvisionedAsync(await FirstCycleAsync());
        await _harness.Services.GetRequiredService<JobHealth>().QuarantineNowAsync(CycleHarness.Job, "Refused.");
        _harness.Clock.Advance(TimeSpan.FromMinutes(11));

        var retry = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, retry.Status);
        Assert.True(retry.FullRead);
        var state = await _harness.StateAsync();
        Assert.Equal(JobStatus.Quarantined, state.Status);
        Assert.Equal(_harness.Clock.GetUtcNow().AddMinutes(10), state.NextAttemptAt!.Value, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task An_escrowed_object_due_for_retry_is_enqueued_again_although_it_did_not_change()
    {
        await _harness.MarkProvisionedAsync(await FirstCycleAsync());
        await _harness.Objects.RecordFailureAsync(CycleHarness.Job, ObjectKind.User, new(_u[2]),
            new ScimSync.Core.State.Objects.ObjectError("InvalidDomain", "Refused by the target.", null, _harness.Clock.GetUtcNow()));
        _harness.Clock.Advance(TimeSpan.FromHours(2));

        var report = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.Equal([_u[2]], CycleHarness.Ids(await _harness.TakeAllAsync(), WorkOperation.Upsert, ObjectKind.User));
    }

    [Fact]
    public async Task A_group_marked_with_members_to_send_whose_edges_are_all_applied_has_its_mark_cleared_and_nothing_enqueued()
    {
        await _harness.MarkProvisionedAsync(await FirstCycleAsync());
        await _harness.Objects.RecordPendingAsync(CycleHarness.Job,
            [new ScimSync.Core.State.Objects.PendingRecord(ObjectKind.Group, new(_platform), null, MembersPending: true, _harness.Clock.GetUtcNow(), null)]);
        _harness.Clock.Advance(TimeSpan.FromMinutes(5));

        var report = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.Empty(await _harness.TakeAllAsync());
        Assert.False((await _harness.Objects.GetAsync(CycleHarness.Job, ObjectKind.Group, new(_platform)))!.Value.MembersPending);
    }

    [Fact]
    public async Task After_an_upgrade_a_cycle_reads_memberships_and_assignments_stored_a_row_each_deprovisions_no_one_and_packs_them()
    {
        await _harness.MarkProvisionedAsync(await FirstCycleAsync());
        var tables = _harness.Services.GetRequiredService<StateTables>();
        var partition = TableKey.Compose(CycleHarness.Job.Value);
        var edges = (await _harness.Services.GetRequiredService<SourceMembershipStore>().LoadAsync(CycleHarness.Job)).Edges;
        var assignments = (await _harness.Services.GetRequiredService<IAssignmentSnapshotStore>().GetAsync(CycleHarness.Job))!.Assignments;
        var memberships = await tables.GetAsync(StateTable.SourceMemberships);
        var snapshot = await tables.GetAsync(StateTable.Assignments);
        await DeleteAllAsync(memberships);
        await DeleteAllAsync(snapshot);
        foreach (var edge in edges)
        {
            await memberships.AddEntityAsync(new TableEntity(partition, TableKey.Compose(edge.Group.Value, edge.Member.Value))
            {
                ["GroupId"] = edge.Group.Value,
                ["MemberId"] = edge.Member.Value,
                ["MemberKind"] = edge.MemberKind.ToString(),
            });
        }

        await snapshot.AddEntityAsync(new TableEntity(partition, "!snapshot"));
        foreach (var assignment in assignments)
        {
            await snapshot.AddEntityAsync(new TableEntity(partition, TableKey.Compose(assignment.PrincipalId.Value, assignment.AppRoleId.ToString("D")))
            {
                ["PrincipalId"] = assignment.PrincipalId.Value,
                ["PrincipalKind"] = assignment.PrincipalKind.ToString(),
                ["AppRoleId"] = assignment.AppRoleId,
            });
        }

        _harness.Graph.Tenant.UpdateUser(_u[1], "department", "Finance");
        var report = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        var items = await _harness.TakeAllAsync();
        Assert.Equal([_u[1]], CycleHarness.Ids(items, WorkOperation.Upsert, ObjectKind.User));
        Assert.DoesNotContain(items, item => item.Operation is WorkOperation.Deprovision or WorkOperation.Delete or WorkOperation.MembershipChunk);
        Assert.Equal(edges, (await _harness.Services.GetRequiredService<SourceMembershipStore>().LoadAsync(CycleHarness.Job)).Edges);
        Assert.All(await memberships.QueryAsync<TableEntity>().ToListAsync(), row => Assert.NotNull(row.GetString("Entries")));
        Assert.All(await snapshot.QueryAsync<TableEntity>().ToListAsync(), row => Assert.Null(row.GetString("PrincipalId")));
    }

    [Fact]
    public async Task A_queue_outage_fails_the_cycle_without_quarantine_and_the_next_cycle_repeats_it()
    {
        _crash.Outage = new Azure.RequestFailedException(503, "The server is busy.", "ServerBusy", null);
        var failed = await _harness.Runner.RunAsync(CycleHarness.Job);
        _crash.Outage = null;

        Assert.Equal(CycleStatus.Failed, failed.Status);
        Assert.Contains("Azure Storage was unavailable (503 ServerBusy)", failed.Message, StringComparison.Ordinal);
        var state = await _harness.StateAsync();
        Assert.Equal(JobStatus.Active, state.Status);
        Assert.Equal(1, state.Counters.ConsecutiveFailedCycles);
        Assert.Empty((await _harness.Status.GetStatusAsync(CycleHarness.Job)).Watermarks);

        var repeated = await _harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, repeated.Status);
        Assert.True(repeated.FullRead);
        Assert.Equal(0, (await _harness.StateAsync()).Counters.ConsecutiveFailedCycles);
    }

    private async Task<List<WorkItem>> FirstCycleAsync()
    {
        Assert.Equal(CycleStatus.Completed, (await _harness.Runner.RunAsync(CycleHarness.Job)).Status);
        return await _harness.TakeAllAsync();
    }

    private static async Task DeleteAllAsync(TableClient table)
    {
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            await table.DeleteEntityAsync(row);
        }
    }

    private IEnumerable<string> Ids(params int[] indexes) => indexes.Select(i => _u[i]).Order(StringComparer.Ordinal);
}

/// <summary>Sends for real, then throws when armed: a process dying after enqueue and before the watermark.</summary>
internal sealed class CrashAfterEnqueue
{
    public bool Armed { get; set; }

    /// <summary>When set, thrown instead of sending: the queue is down.</summary>
    public Exception? Outage { get; set; }

    public IWorkItemSender Wrap(IWorkItemSender inner) => new Sender(this, inner);

    private sealed class Sender(CrashAfterEnqueue owner, IWorkItemSender inner) : IWorkItemSender
    {
        public async Task SendAsync(IReadOnlyCollection<WorkItem> items, TimeSpan visibleAfter, CancellationToken cancellationToken)
        {
            if (owner.Outage is { } outage)
            {
                throw outage;
            }

            await inner.SendAsync(items, visibleAfter, cancellationToken);
            if (owner.Armed)
            {
                throw new InvalidOperationException("Simulated crash after the items were enqueued.");
            }
        }
    }
}
