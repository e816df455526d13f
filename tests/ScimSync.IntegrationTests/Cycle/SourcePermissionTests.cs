using ScimSync.Core.Cycle;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Cycle;

/// <summary>A Graph permission the app lacks stops the cycle with an error naming that permission, not another.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SourcePermissionTests(AzuriteFixture azurite)
{
    [Trait("Category", "Reliability")]
    [Theory]
    [InlineData("User.Read.All")]
    [InlineData("Application.Read.All")]
    public async Task A_cycle_without_a_permission_names_exactly_the_one_it_lacks(string permission)
    {
        var seed = new DirectorySeedBuilder();
        foreach (var user in seed.AddUsers(3))
        {
            seed.Assign(user, ObjectType.User);
        }

        await using var harness = await CycleHarness.StartAsync(azurite, seed.Build());
        harness.Graph.Controls.DeniedPermission = permission;

        var report = await harness.Runner.RunAsync(CycleHarness.Job);

        Assert.NotEqual(CycleStatus.Completed, report.Status);
        Assert.Contains(permission, report.Message, StringComparison.Ordinal);
        foreach (var other in ((string[])["User.Read.All", "Application.Read.All"]).Where(other => other != permission))
        {
            Assert.DoesNotContain(other, report.Message, StringComparison.Ordinal);
        }
    }
}
