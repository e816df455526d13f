using Microsoft.Extensions.Time.Testing;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
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

    private (TargetLinkStore Links, ObjectStateStore Objects) Stores()
    {
        var tables = TestTables.Create(azurite);
        var objects = new ObjectStateStore(tables, TestTables.Escrow(_clock), _clock);
        return (new TargetLinkStore(tables, objects, _clock), objects);
    }
}
