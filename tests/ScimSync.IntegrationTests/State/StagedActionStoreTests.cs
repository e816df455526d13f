using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Staging;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class StagedActionStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");

    private static StagedAction Action(string id, string cycle = "c-1", string reason = "left scope") =>
        new(Job, new SourceId(id), ObjectKind.User, WorkOperation.Deprovision, reason, cycle, TestTables.Start, "User " + id);

    [Fact]
    public async Task Staged_deprovisions_are_listed_with_their_reason()
    {
        var store = new StagedActionStore(TestTables.Create(azurite));
        var actions = Enumerable.Range(0, 150).Select(i => Action($"u{i}")).ToList();

        await store.StageAsync(actions);
        var listed = await store.ListAsync(Job).Select(a => a.Value).ToListAsync();

        Assert.Equal(actions.OrderBy(a => a.SourceId.Value, StringComparer.Ordinal), listed.OrderBy(a => a.SourceId.Value, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Staging_the_same_object_again_holds_it_once_with_the_latest_reason()
    {
        var store = new StagedActionStore(TestTables.Create(azurite));
        await store.StageAsync([Action("u1")]);

        await store.StageAsync([Action("u1", "c-2", "disabled in Entra ID")]);

        var held = Assert.Single(await store.ListAsync(Job).ToListAsync());
        Assert.Equal("disabled in Entra ID", held.Value.Reason);
        Assert.Equal("c-2", held.Value.CycleId);
    }

    [Fact]
    public async Task Releasing_hands_every_action_to_the_caller_and_then_removes_them()
    {
        var store = new StagedActionStore(TestTables.Create(azurite));
        await store.StageAsync(Enumerable.Range(0, 230).Select(i => Action($"u{i}")));
        var released = new List<StagedAction>();

        var count = await store.ReleaseAsync(Job, (batch, _) => { released.AddRange(batch); return Task.CompletedTask; });

        Assert.Equal(230, count);
        Assert.Equal(230, released.Select(a => a.SourceId).Distinct().Count());
        Assert.Empty(await store.ListAsync(Job).ToListAsync());
    }

    [Fact]
    public async Task When_the_release_fails_the_actions_stay_held()
    {
        var store = new StagedActionStore(TestTables.Create(azurite));
        await store.StageAsync([Action("u1"), Action("u2")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.ReleaseAsync(Job, (_, _) => throw new InvalidOperationException("queue unavailable")));

        Assert.Equal(2, (await store.ListAsync(Job).ToListAsync()).Count);
    }

    [Fact]
    public async Task Clearing_dismisses_every_staged_action_of_the_job_only()
    {
        var store = new StagedActionStore(TestTables.Create(azurite));
        await store.StageAsync([Action("u1"), Action("u2"), Action("u3") with { Job = new JobId("job-2") }]);

        var cleared = await store.ClearAsync(Job);

        Assert.Equal(2, cleared);
        Assert.Empty(await store.ListAsync(Job).ToListAsync());
        Assert.Single(await store.ListAsync(new JobId("job-2")).ToListAsync());
    }
}
