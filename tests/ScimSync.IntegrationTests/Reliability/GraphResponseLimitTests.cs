using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Cycle;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Watermarks;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// A Graph answer larger than the job reads fails the cycle with a clear error before anything of it is applied: the
/// watermark stays, nothing is deprovisioned, and once the pages are back to size nothing was lost.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class GraphResponseLimitTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Fact]
    public async Task A_delta_page_over_the_limit_fails_the_cycle_keeps_the_watermark_and_deprovisions_nothing()
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(20);
        foreach (var user in users)
        {
            seed.Assign(user, ObjectType.User);
        }

        await using var harness = await CycleHarness.StartAsync(azurite, seed.Build(), new CycleHarnessOptions
        {
            TargetBaseUrl = _atlassian.BaseUrl,
            Token = _atlassian.ApiKey,
            SourceSettings = new JsonObject { ["maxResponseMegabytes"] = 1 },
            Configure = services => services.AddReconciliation(),
        });
        await SyncAsync(harness);
        var watermarks = harness.Services.GetRequiredService<WatermarkStore>();
        var before = (await watermarks.GetAsync(CycleHarness.Job, WatermarkKind.Users))!.Value;

        // Twelve 100 KB notes make the next users delta page about 1.2 MB; five unassigned users would be deprovisioned.
        foreach (var user in users.Take(12))
        {
            harness.Graph.Tenant.UpdateUser(user, "department", new string('d', 100 * 1024));
        }

        foreach (var user in users.TakeLast(5))
        {
            harness.Graph.Tenant.Unassign(user);
        }

        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        var failed = await SyncAsync(harness);

        Assert.Equal(CycleStatus.Failed, failed.Status);
        Assert.Contains("the 1 MB the job reads (source.maxResponseMegabytes)", failed.Message, StringComparison.Ordinal);
        Assert.Contains("raise the job's source.maxResponseMegabytes", failed.Message, StringComparison.Ordinal);
        Assert.Contains("source.maxResponseMegabytes", (await harness.StateAsync()).LastCycle?.Detail, StringComparison.Ordinal);
        Assert.Equal(before.DeltaLink, (await watermarks.GetAsync(CycleHarness.Job, WatermarkKind.Users))!.Value.DeltaLink);
        Assert.Equal(20, _atlassian.State.LiveUsers.Count(user => user.Active));
        Assert.All(_atlassian.State.LiveUsers, user => Assert.Equal("Operations", user.Attribute("department")));

        foreach (var user in users.Take(12))
        {
            harness.Graph.Tenant.UpdateUser(user, "department", "Finance");
        }

        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        var recovered = await SyncAsync(harness);

        Assert.Equal(CycleStatus.Completed, recovered.Status);
        Assert.Equal(15, _atlassian.State.LiveUsers.Count(user => user.Active));
        Assert.Equal(12, _atlassian.State.LiveUsers.Count(user => user.Attribute("department") == "Finance"));
    }

    private static async Task<CycleReport> SyncAsync(CycleHarness harness)
    {
        var report = await harness.Runner.RunAsync(CycleHarness.Job);
        await harness.Services.GetRequiredService<QueueWorker>().DrainAsync(8, stopWhenEmpty: true);
        return report;
    }
}
