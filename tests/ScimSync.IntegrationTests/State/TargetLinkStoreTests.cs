using Microsoft.Extensions.Time.Testing;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.State;
using ScimSync.Core.State.Objects;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class TargetLinkStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");
    private static readonly TargetId Account = new("acct/with#odd?id");
    private static readonly SourceId First = new("first");
    private static readonly SourceId Second = new("second");

    private readonly FakeTimeProvider _clock = TestTables.Clock();
    private readonly StateTables _tables = TestTables.Create(azurite);

    [Fact]
    public async Task Of_two_source_objects_racing_for_one_target_object_exactly_one_links_it()
    {
        var (links, objects) = Stores();
        await objects.SaveAsync(new ObjectState(Job, ObjectKind.User, First) { TargetId = Account }, null);
        await objects.SaveAsync(new ObjectState(Job, ObjectKind.User, Second) { TargetId = Account }, null);

        var results = await Task.WhenAll(new[] { First, Second }.Select(source => Task.Run(() => links.LinkAsync(Job, ObjectKind.User, Account, source))));

        Assert.Single(results, result => result is TargetLinkResult.Linked);
        Assert.Single(results, result => result is TargetLinkResult.HeldBy);
    }

    [Fact]
    public async Task The_holder_links_again_and_another_source_object_is_told_who_holds_it()
    {
        var (links, objects) = Stores();
        await links.LinkAsync(Job, ObjectKind.User, Account, First);
        await objects.SaveAsync(new ObjectState(Job, ObjectKind.User, First) { TargetId = Account }, null);

        var again = await links.LinkAsync(Job, ObjectKind.User, Account, First);
        var other = await links.LinkAsync(Job, ObjectKind.User, Account, Second);

        Assert.IsType<TargetLinkResult.Linked>(again);
        Assert.Equal(First, Assert.IsType<TargetLinkResult.HeldBy>(other).Owner);
        Assert.Equal(First, await links.HolderOtherThanAsync(Job, ObjectKind.User, Account, Second));
        Assert.Null(await links.HolderOtherThanAsync(Job, ObjectKind.User, Account, First));
        Assert.IsType<TargetLinkResult.Linked>(await links.LinkAsync(Job, ObjectKind.Group, Account, Second));
    }

    [Fact]
    public async Task A_holder_between_its_create_and_its_state_keeps_the_link_and_loses_it_once_it_moved_on()
    {
        var (links, objects) = Stores();
        var claimed = Assert.IsType<CreateClaimResult.Won>(await objects.TryClaimCreateAsync(Job, ObjectKind.User, First, null, "worker", TimeSpan.FromMinutes(3)));
        await links.LinkAsync(Job, ObjectKind.User, Account, First);

        var whileCreating = await links.LinkAsync(Job, ObjectKind.User, Account, Second);
        await objects.SaveAsync(claimed.Row.Value with { TargetId = new TargetId("another-account") }, claimed.Row.ETag);
        _clock.Advance(TimeSpan.FromMinutes(4));
        var afterwards = await links.LinkAsync(Job, ObjectKind.User, Account, Second);

        Assert.Equal(First, Assert.IsType<TargetLinkResult.HeldBy>(whileCreating).Owner);
        Assert.IsType<TargetLinkResult.Linked>(afterwards);
    }

    [Fact]
    public async Task A_created_object_is_recorded_with_its_link_in_one_write_and_links_never_show_as_objects()
    {
        var (links, objects) = Stores();
        var claimed = Assert.IsType<CreateClaimResult.Won>(await objects.TryClaimCreateAsync(Job, ObjectKind.User, First, null, "worker", TimeSpan.FromMinutes(3))).Row;

        var result = await objects.RecordCreatedAsync(claimed.Value with { TargetId = Account, Claim = null }, claimed.ETag);

        Assert.Equal(CreatedRecordResult.Recorded, result);
        Assert.Equal(Account, (await objects.GetAsync(Job, ObjectKind.User, First))!.Value.TargetId);
        Assert.Equal(First, (await objects.GetLinkAsync(Job, ObjectKind.User, Account))!.Value);
        Assert.Equal(First, await links.HolderOtherThanAsync(Job, ObjectKind.User, Account, Second));
        Assert.Equal([First], await objects.ListAsync(Job, ObjectKind.User).Select(row => row.Value.SourceId).ToListAsync());
        var snapshot = await new TargetIdSnapshots(_tables, _clock).GetAsync(Job, ObjectKind.User, budget: 10);
        Assert.Equal([First], snapshot!.Keys);
    }

    [Fact]
    public async Task Recording_a_created_object_whose_target_object_is_linked_already_writes_nothing()
    {
        var (links, objects) = Stores();
        await objects.SaveAsync(new ObjectState(Job, ObjectKind.User, First) { TargetId = Account }, null);
        await links.LinkAsync(Job, ObjectKind.User, Account, First);
        var claimed = Assert.IsType<CreateClaimResult.Won>(await objects.TryClaimCreateAsync(Job, ObjectKind.User, Second, null, "worker", TimeSpan.FromMinutes(3))).Row;

        var taken = await objects.RecordCreatedAsync(claimed.Value with { TargetId = Account, Claim = null }, claimed.ETag);
        var stale = await objects.RecordCreatedAsync(claimed.Value with { TargetId = new TargetId("other"), Claim = null }, new Azure.ETag("W/\"datetime'2000-01-01T00%3A00%3A00Z'\""));

        Assert.Equal(CreatedRecordResult.LinkTaken, taken);
        Assert.Equal(CreatedRecordResult.RowChanged, stale);
        var second = (await objects.GetAsync(Job, ObjectKind.User, Second))!;
        Assert.Null(second.Value.TargetId);
        Assert.Equal(claimed.ETag, second.ETag);
        Assert.Null(await objects.GetLinkAsync(Job, ObjectKind.User, new TargetId("other")));
        Assert.Equal(First, (await objects.GetLinkAsync(Job, ObjectKind.User, Account))!.Value);
    }

    private (TargetLinkStore Links, ObjectStateStore Objects) Stores()
    {
        var objects = new ObjectStateStore(_tables, TestTables.Escrow(_clock), _clock);
        return (new TargetLinkStore(objects, _clock), objects);
    }
}
