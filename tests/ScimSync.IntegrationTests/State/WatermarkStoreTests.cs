using ScimSync.Core.Identity;
using ScimSync.Core.State.Watermarks;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class WatermarkStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");

    [Fact]
    public async Task Users_and_groups_watermarks_are_kept_apart_and_read_back()
    {
        var store = new WatermarkStore(TestTables.Create(azurite));
        await store.SaveAsync(new Watermark(Job, WatermarkKind.Users, "https://graph/users/delta?$deltatoken=u1", TestTables.Start, "c-1"), null);
        await store.SaveAsync(new Watermark(Job, WatermarkKind.Groups, "https://graph/groups/delta?$deltatoken=g1", TestTables.Start, "c-1"), null);

        Assert.Equal("https://graph/users/delta?$deltatoken=u1", (await store.GetAsync(Job, WatermarkKind.Users))!.Value.DeltaLink);
        Assert.Equal("https://graph/groups/delta?$deltatoken=g1", (await store.GetAsync(Job, WatermarkKind.Groups))!.Value.DeltaLink);
        Assert.Null(await store.GetAsync(new JobId("job-2"), WatermarkKind.Users));
    }

    [Fact]
    public async Task Two_cycles_cannot_both_move_the_watermark_from_the_same_starting_point()
    {
        var store = new WatermarkStore(TestTables.Create(azurite));
        await store.SaveAsync(new Watermark(Job, WatermarkKind.Users, "link-1", TestTables.Start, "c-1"), null);
        var read = (await store.GetAsync(Job, WatermarkKind.Users))!;

        var first = await store.SaveAsync(read.Value with { DeltaLink = "link-2a", CycleId = "c-2a" }, read.ETag);
        var second = await store.SaveAsync(read.Value with { DeltaLink = "link-2b", CycleId = "c-2b" }, read.ETag);

        Assert.False(first.IsConflict);
        Assert.True(second.IsConflict);
        Assert.Equal("link-2a", (await store.GetAsync(Job, WatermarkKind.Users))!.Value.DeltaLink);
    }

    [Fact]
    public async Task A_delta_link_longer_than_one_table_property_reads_back_whole()
    {
        var store = new WatermarkStore(TestTables.Create(azurite));
        var link = "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=" + new string('t', 70_000);

        await store.SaveAsync(new Watermark(Job, WatermarkKind.Users, link, TestTables.Start, "c-1"), null);

        Assert.Equal(link, (await store.GetAsync(Job, WatermarkKind.Users))!.Value.DeltaLink);
    }

    [Fact]
    public async Task Deleting_the_watermark_makes_the_next_read_a_full_one()
    {
        var store = new WatermarkStore(TestTables.Create(azurite));
        await store.SaveAsync(new Watermark(Job, WatermarkKind.Users, "link-1", TestTables.Start, "c-1"), null);

        var deleted = await store.DeleteAsync((await store.GetAsync(Job, WatermarkKind.Users))!);

        Assert.False(deleted.IsConflict);
        Assert.Null(await store.GetAsync(Job, WatermarkKind.Users));
    }
}
