using ScimSync.Core.Identity;
using ScimSync.Core.State;
using ScimSync.Core.State.Jobs;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class JobStateStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("atlassian/prod#1");

    [Fact]
    public async Task A_saved_job_state_reads_back_with_its_counters_and_last_cycle()
    {
        var store = new JobStateStore(TestTables.Create(azurite), TestTables.Clock());
        var state = new JobState(Job)
        {
            Status = JobStatus.Quarantined,
            Reason = "The target refused the SCIM token (401).",
            NextAttemptAt = TestTables.Start.AddHours(6),
            QuarantinedSince = TestTables.Start,
            Counters = new JobCounters { CyclesCompleted = 12, ConsecutiveFailedCycles = 2 },
            LastCycle = new CycleSummary
            {
                CycleId = "c-12", StartedAt = TestTables.Start, CompletedAt = TestTables.Start.AddMinutes(3),
                Outcome = CycleOutcome.Failed, ItemsEnqueued = 40, Detail = "credentials",
            },
        };

        var written = await store.SaveAsync(state, expected: null);
        var read = await store.GetAsync(Job);

        Assert.Equal(WriteStatus.Written, written.Status);
        Assert.Equal(state, read!.Value);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task A_job_that_never_ran_has_no_state()
    {
        var store = new JobStateStore(TestTables.Create(azurite), TestTables.Clock());

        Assert.Null(await store.GetAsync(Job));
    }

    [Fact]
    public async Task Saving_over_a_newer_write_is_a_conflict_and_changes_nothing()
    {
        var store = new JobStateStore(TestTables.Create(azurite), TestTables.Clock());
        await store.SaveAsync(new JobState(Job), null);
        var read = (await store.GetAsync(Job))!;
        await store.SaveAsync(read.Value with { Status = JobStatus.Paused, Reason = "paused by admin" }, read.ETag);

        var stale = await store.SaveAsync(read.Value with { Status = JobStatus.Quarantined }, read.ETag);

        Assert.True(stale.IsConflict);
        Assert.Equal(JobStatus.Paused, (await store.GetAsync(Job))!.Value.Status);
    }

    [Fact]
    public async Task Inserting_a_job_that_already_exists_is_a_conflict()
    {
        var store = new JobStateStore(TestTables.Create(azurite), TestTables.Clock());
        await store.SaveAsync(new JobState(Job), null);

        Assert.True((await store.SaveAsync(new JobState(Job) { Status = JobStatus.Paused }, null)).IsConflict);
    }

    [Fact]
    public async Task Of_many_contenders_for_the_cycle_lease_exactly_one_gets_it()
    {
        var store = new JobStateStore(TestTables.Create(azurite), TestTables.Clock());

        var results = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => store.TryAcquireLeaseAsync(Job, $"host-{i}", TimeSpan.FromMinutes(5)))));

        var winner = Assert.IsType<LeaseResult.Acquired>(Assert.Single(results, r => r is LeaseResult.Acquired));
        Assert.All(results.OfType<LeaseResult.HeldByOther>(), lost => Assert.Equal(winner.Lease.Holder, lost.Lease.Holder));
        Assert.Equal(winner.Lease.Holder, (await store.GetAsync(Job))!.Value.Lease!.Holder);
    }

    [Fact]
    public async Task A_second_holder_is_refused_until_the_lease_expires_and_then_gets_it()
    {
        var clock = TestTables.Clock();
        var store = new JobStateStore(TestTables.Create(azurite), clock);
        await store.TryAcquireLeaseAsync(Job, "host-a", TimeSpan.FromMinutes(5));

        clock.Advance(TimeSpan.FromMinutes(4));
        var early = await store.TryAcquireLeaseAsync(Job, "host-b", TimeSpan.FromMinutes(5));
        clock.Advance(TimeSpan.FromMinutes(2));
        var late = await store.TryAcquireLeaseAsync(Job, "host-b", TimeSpan.FromMinutes(5));

        var held = Assert.IsType<LeaseResult.HeldByOther>(early);
        Assert.Equal("host-a", held.Lease.Holder);
        Assert.Equal(TestTables.Start.AddMinutes(5), held.Lease.ExpiresAt);
        Assert.Equal("host-b", Assert.IsType<LeaseResult.Acquired>(late).Lease.Holder);
    }

    [Fact]
    public async Task The_holder_can_renew_its_lease_and_a_released_lease_is_free_at_once()
    {
        var clock = TestTables.Clock();
        var store = new JobStateStore(TestTables.Create(azurite), clock);
        var lease = Assert.IsType<LeaseResult.Acquired>(await store.TryAcquireLeaseAsync(Job, "host-a", TimeSpan.FromMinutes(5))).Lease;

        clock.Advance(TimeSpan.FromMinutes(4));
        var renewed = Assert.IsType<LeaseResult.Acquired>(await store.RenewLeaseAsync(lease, TimeSpan.FromMinutes(5))).Lease;
        clock.Advance(TimeSpan.FromMinutes(4));
        var stillHeld = await store.TryAcquireLeaseAsync(Job, "host-b", TimeSpan.FromMinutes(5));
        var released = await store.ReleaseLeaseAsync(renewed);
        var afterRelease = await store.TryAcquireLeaseAsync(Job, "host-b", TimeSpan.FromMinutes(5));

        Assert.IsType<LeaseResult.HeldByOther>(stillHeld);
        Assert.True(released);
        Assert.IsType<LeaseResult.Acquired>(afterRelease);
    }

    [Fact]
    public async Task A_holder_whose_lease_was_taken_over_cannot_release_it()
    {
        var clock = TestTables.Clock();
        var store = new JobStateStore(TestTables.Create(azurite), clock);
        var old = Assert.IsType<LeaseResult.Acquired>(await store.TryAcquireLeaseAsync(Job, "host-a", TimeSpan.FromMinutes(5))).Lease;
        clock.Advance(TimeSpan.FromMinutes(6));
        await store.TryAcquireLeaseAsync(Job, "host-b", TimeSpan.FromMinutes(5));

        Assert.False(await store.ReleaseLeaseAsync(old));
        Assert.Equal("host-b", (await store.GetAsync(Job))!.Value.Lease!.Holder);
    }

    [Fact]
    public async Task Saving_the_status_keeps_the_lease_and_taking_the_lease_keeps_the_status()
    {
        var store = new JobStateStore(TestTables.Create(azurite), TestTables.Clock());
        await store.SaveAsync(new JobState(Job) { Status = JobStatus.DeletionsHeld, Reason = "612 deprovisions staged" }, null);
        await store.TryAcquireLeaseAsync(Job, "host-a", TimeSpan.FromMinutes(5));
        var read = (await store.GetAsync(Job))!;

        await store.SaveAsync(read.Value with { Status = JobStatus.Active, Reason = null }, read.ETag);
        var after = (await store.GetAsync(Job))!.Value;

        Assert.Equal(JobStatus.Active, after.Status);
        Assert.Null(after.Reason);
        Assert.Equal("host-a", after.Lease!.Holder);
    }
}
