using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Staging;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Cycle;

[Collection(AzuriteCollection.Name)]
public sealed class DeletionGuardTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Six_hundred_unassignments_above_a_threshold_of_500_are_held_until_an_admin_allows_them()
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(620);
        foreach (var user in users)
        {
            seed.Assign(user, ObjectType.User);
        }

        await using var harness = await CycleHarness.StartAsync(azurite, seed.Build(), new CycleHarnessOptions
        {
            Policy = new JsonObject { ["interval"] = "00:01:00", ["deletionThreshold"] = 500 },
        });
        await harness.Runner.RunAsync(CycleHarness.Job);
        await harness.MarkProvisionedAsync(await harness.TakeAllAsync());
        foreach (var user in users.Take(600))
        {
            harness.Graph.Tenant.Unassign(user);
        }

        var report = await harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.CompletedWithHeldDeletions, report.Status);
        Assert.Equal(600, report.Staged);
        Assert.DoesNotContain(await harness.TakeAllAsync(), item => item.Operation == WorkOperation.Deprovision);
        var state = await harness.StateAsync();
        Assert.Equal(JobStatus.DeletionsHeld, state.Status);
        Assert.Contains("600 users and groups, more than the deletion threshold of 500", state.Reason, StringComparison.Ordinal);
        var status = await harness.Status.GetStatusAsync(CycleHarness.Job);
        Assert.Equal(600, status.StagedCount);
        Assert.Contains("600 deprovisions held for approval", status.Summary, StringComparison.Ordinal);

        var released = await harness.Admin.AllowDeletesAsync(CycleHarness.Job);

        Assert.Equal(600, released.Affected);
        var deprovisions = (await harness.TakeAllAsync()).Where(item => item.Operation == WorkOperation.Deprovision).ToList();
        Assert.Equal(users.Take(600).Order(StringComparer.Ordinal), deprovisions.Select(item => item.SourceId.Value).Order(StringComparer.Ordinal));
        Assert.Equal(JobStatus.Active, (await harness.StateAsync()).Status);
        Assert.Empty(await harness.Services.GetRequiredService<StagedActionStore>().ListAsync(CycleHarness.Job).ToListAsync());
    }

    [Fact]
    public async Task Deprovision_none_enqueues_no_deprovision_and_never_touches_unknown_objects()
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(6);
        foreach (var user in users.Take(4))
        {
            seed.Assign(user, ObjectType.User);
        }

        await using var harness = await CycleHarness.StartAsync(azurite, seed.Build(), new CycleHarnessOptions
        {
            Policy = new JsonObject { ["interval"] = "00:01:00", ["deprovision"] = "none" },
        });
        var first = await harness.Runner.RunAsync(CycleHarness.Job);
        Assert.Equal(0, first.Deprovisions);
        await harness.MarkProvisionedAsync(await harness.TakeAllAsync());
        harness.Graph.Tenant.Unassign(users[0]);
        harness.Graph.Tenant.DisableUser(users[1]);

        var report = await harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.DoesNotContain(await harness.TakeAllAsync(), item => item.Operation is WorkOperation.Deprovision or WorkOperation.Delete);
    }
}
