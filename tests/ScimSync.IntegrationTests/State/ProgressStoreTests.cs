using ScimSync.Core.Identity;
using ScimSync.Core.State.Progress;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class ProgressStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");

    [Fact]
    public async Task Many_parallel_completions_add_up_exactly()
    {
        var store = new ProgressStore(TestTables.Create(azurite), TestTables.Clock());
        await store.SetEnqueuedAsync(Job, "c-1", 1_000);
        var outcomes = Enumerable.Range(0, 600).Select(i => (Id: $"item-{i:D4}", Outcome: (ItemOutcome)(i % 3))).ToList();

        await Parallel.ForEachAsync(outcomes, new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (item, token) => await store.RecordAsync(Job, "c-1", item.Id, item.Outcome, token));
        var progress = await store.GetAsync(Job, "c-1");

        Assert.Equal(new CycleProgress(Job, "c-1", 1_000, 200, 200, 200), progress);
        Assert.Equal(400, progress.Remaining);
    }

    [Fact]
    public async Task An_item_delivered_twice_or_retried_counts_once_with_its_latest_outcome()
    {
        var store = new ProgressStore(TestTables.Create(azurite), TestTables.Clock());
        await store.SetEnqueuedAsync(Job, "c-1", 2);

        await store.RecordAsync(Job, "c-1", "a", ItemOutcome.Done);
        await store.RecordAsync(Job, "c-1", "a", ItemOutcome.Done);
        await store.RecordAsync(Job, "c-1", "b", ItemOutcome.Failed);
        await store.RecordAsync(Job, "c-1", "b", ItemOutcome.Done);

        Assert.Equal(new CycleProgress(Job, "c-1", 2, 2, 0, 0), await store.GetAsync(Job, "c-1"));
    }

    [Fact]
    public async Task Cycles_are_counted_apart_and_a_deleted_cycle_reads_as_empty()
    {
        var store = new ProgressStore(TestTables.Create(azurite), TestTables.Clock());
        await store.SetEnqueuedAsync(Job, "c-1", 1);
        await store.RecordAsync(Job, "c-1", "a", ItemOutcome.Skipped);
        await store.SetEnqueuedAsync(Job, "c-2", 5);

        Assert.Equal(0, (await store.GetAsync(Job, "c-2")).Finished);
        await store.DeleteCycleAsync(Job, "c-1");
        Assert.Equal(new CycleProgress(Job, "c-1", 0, 0, 0, 0), await store.GetAsync(Job, "c-1"));
    }
}
