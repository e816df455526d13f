using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Objects;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class TargetIdSnapshotsTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");

    [Fact]
    public async Task A_snapshot_shows_the_objects_in_the_target_and_answers_until_it_is_too_old_or_forgotten()
    {
        var clock = TestTables.Clock();
        var tables = TestTables.Create(azurite);
        var store = new ObjectStateStore(tables, TestTables.Escrow(clock), clock);
        var snapshots = new TargetIdSnapshots(tables, clock);
        await store.SaveAsync(State("provisioned", "t-1"), null);
        await store.SaveAsync(State("disabled", "t-2") with { Status = ObjectStatus.Disabled }, null);
        await store.SaveAsync(State("deleted", "t-3") with { Status = ObjectStatus.Deleted }, null);
        await store.SaveAsync(State("skipped", null) with { Status = ObjectStatus.Skipped }, null);

        var first = await snapshots.GetAsync(Job, ObjectKind.User, budget: 10);
        await store.SaveAsync(State("later", "t-4"), null);
        var cached = await snapshots.GetAsync(Job, ObjectKind.User, budget: 10);
        clock.Advance(TargetIdSnapshots.MaxAge + TimeSpan.FromSeconds(1));
        var renewed = await snapshots.GetAsync(Job, ObjectKind.User, budget: 10);
        await store.SaveAsync(State("latest", "t-5"), null);
        snapshots.Forget(Job, ObjectKind.User);
        var afterForget = await snapshots.GetAsync(Job, ObjectKind.User, budget: 10);

        Assert.Equal(["disabled", "provisioned"], first!.Keys.Select(id => id.Value).Order(StringComparer.Ordinal));
        Assert.Equal(new TargetId("t-1"), first[new SourceId("provisioned")]);
        Assert.False(cached!.ContainsKey(new SourceId("later")));
        Assert.Equal(new TargetId("t-4"), renewed![new SourceId("later")]);
        Assert.True(afterForget!.ContainsKey(new SourceId("latest")));
        Assert.Null(await snapshots.GetAsync(Job, ObjectKind.Group, budget: 1));
    }

    [Fact]
    public async Task A_partition_that_needs_as_many_pages_as_the_reads_it_would_replace_is_not_taken_and_is_remembered()
    {
        var clock = TestTables.Clock();
        var tables = TestTables.Create(azurite);
        var store = new ObjectStateStore(tables, TestTables.Escrow(clock), clock);
        var snapshots = new TargetIdSnapshots(tables, clock);
        await store.RecordPendingAsync(Job, Enumerable.Range(0, 1001).Select(i =>
            new PendingRecord(ObjectKind.User, new SourceId($"u{i:D4}"), null, false, TestTables.Start, null)));
        await store.SaveAsync(State("u0000", "t-0"), (await store.GetAsync(Job, ObjectKind.User, new SourceId("u0000")))!.ETag);

        var tooDear = await snapshots.GetAsync(Job, ObjectKind.User, budget: 2);
        var stillTooDear = await snapshots.GetAsync(Job, ObjectKind.User, budget: 2);
        var worthIt = await snapshots.GetAsync(Job, ObjectKind.User, budget: 3);

        Assert.Null(tooDear);
        Assert.Null(stillTooDear);
        Assert.Equal(new TargetId("t-0"), Assert.Single(worthIt!).Value);
    }

    [Fact]
    public async Task An_object_this_process_provisioned_answers_without_a_read_until_it_is_too_old_or_forgotten()
    {
        var clock = TestTables.Clock();
        var snapshots = new TargetIdSnapshots(TestTables.Create(azurite), clock);

        snapshots.Provisioned(Job, ObjectKind.User, new SourceId("created"), new TargetId("t-1"));
        var recent = snapshots.TryGetProvisioned(Job, ObjectKind.User, new SourceId("created"), out var id);
        var otherKind = snapshots.TryGetProvisioned(Job, ObjectKind.Group, new SourceId("created"), out _);
        clock.Advance(TargetIdSnapshots.MaxAge + TimeSpan.FromSeconds(1));
        var olderThanASnapshot = snapshots.TryGetProvisioned(Job, ObjectKind.User, new SourceId("created"), out _);
        clock.Advance(TargetIdSnapshots.ProvisionedMaxAge);
        var tooOld = snapshots.TryGetProvisioned(Job, ObjectKind.User, new SourceId("created"), out _);
        snapshots.Provisioned(Job, ObjectKind.User, new SourceId("again"), new TargetId("t-2"));
        snapshots.Forget(Job, ObjectKind.User);
        var forgotten = snapshots.TryGetProvisioned(Job, ObjectKind.User, new SourceId("again"), out _);

        Assert.True(recent);
        Assert.Equal(new TargetId("t-1"), id);
        Assert.False(otherKind);
        Assert.True(olderThanASnapshot);
        Assert.False(tooOld);
        Assert.False(forgotten);
    }

    private static ObjectState State(string sourceId, string? targetId) => new(Job, ObjectKind.User, new SourceId(sourceId))
    {
        TargetId = targetId is null ? null : new TargetId(targetId),
        CreatedOrAdopted = targetId is not null,
    };
}
