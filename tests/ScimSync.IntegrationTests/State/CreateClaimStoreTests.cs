using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Objects;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class CreateClaimStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");
    private static readonly SourceId User = new("user/with#odd?id");

    [Fact]
    public async Task Of_many_workers_racing_to_create_the_same_object_exactly_one_wins()
    {
        var store = new CreateClaimStore(TestTables.Create(azurite), TestTables.Clock());

        var results = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => Task.Run(() => store.TryClaimAsync(Job, ObjectKind.User, User, $"worker-{i}", TimeSpan.FromMinutes(2)))));

        var winner = Assert.IsType<CreateClaimResult.Won>(Assert.Single(results, r => r is CreateClaimResult.Won));
        Assert.All(results.OfType<CreateClaimResult.Lost>(), lost => Assert.Equal(winner.Claim.Holder, lost.Holder));
    }

    [Fact]
    public async Task A_claim_left_by_a_crashed_worker_expires_and_can_be_taken_over()
    {
        var clock = TestTables.Clock();
        var store = new CreateClaimStore(TestTables.Create(azurite), clock);
        await store.TryClaimAsync(Job, ObjectKind.User, User, "crashed", TimeSpan.FromMinutes(2));

        var whileValid = await store.TryClaimAsync(Job, ObjectKind.User, User, "next", TimeSpan.FromMinutes(2));
        clock.Advance(TimeSpan.FromMinutes(3));
        var afterExpiry = await store.TryClaimAsync(Job, ObjectKind.User, User, "next", TimeSpan.FromMinutes(2));

        Assert.Equal("crashed", Assert.IsType<CreateClaimResult.Lost>(whileValid).Holder);
        Assert.Equal("next", Assert.IsType<CreateClaimResult.Won>(afterExpiry).Claim.Holder);
    }

    [Fact]
    public async Task A_released_claim_frees_the_object_and_a_taken_over_claim_cannot_be_released_by_its_old_holder()
    {
        var clock = TestTables.Clock();
        var store = new CreateClaimStore(TestTables.Create(azurite), clock);
        var first = Assert.IsType<CreateClaimResult.Won>(await store.TryClaimAsync(Job, ObjectKind.User, User, "a", TimeSpan.FromMinutes(2))).Claim;

        Assert.True(await store.ReleaseAsync(first));
        var second = Assert.IsType<CreateClaimResult.Won>(await store.TryClaimAsync(Job, ObjectKind.User, User, "b", TimeSpan.FromMinutes(2))).Claim;
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.IsType<CreateClaimResult.Won>(await store.TryClaimAsync(Job, ObjectKind.User, User, "c", TimeSpan.FromMinutes(2)));

        Assert.False(await store.ReleaseAsync(second));
    }
}
