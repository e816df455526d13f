using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Admin;
using ScimSync.Core.Logging;
using ScimSync.Functions.Maintenance;
using ScimSync.Functions.Tests.Hosting;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.Functions.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class RetentionCleanupFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_cleanup_timer_removes_logs_and_poison_records_past_their_age_and_keeps_recent_ones()
    {
        var (seed, _) = AppScenario.AssignedUsers(2);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed, new Dictionary<string, string?>
        {
            ["ScimSync:Retention:PoisonDays"] = "7",
            ["ScimSync:Logs:RetentionDays"] = "7",
        });
        await app.TickAsync();
        await app.Host.WorkQueue.SendMessageAsync(BinaryData.FromString("not a work item"));
        await app.DeliverWorkAsync();
        var cleanup = app.Function<RetentionCleanupFunction>();
        var since = app.Clock.GetUtcNow().AddDays(-1);

        await cleanup.RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Single(await PoisonTests.PoisonRecordsAsync(app));
        Assert.Equal(2, (await LogsAsync(app, since)).Count);

        app.Clock.Advance(TimeSpan.FromDays(8));
        await cleanup.RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Empty(await PoisonTests.PoisonRecordsAsync(app));
        Assert.Empty(await LogsAsync(app, since));
    }

    private static Task<IReadOnlyList<ProvisioningLogEntry>> LogsAsync(FunctionsAppHarness app, DateTimeOffset since) =>
        app.Services.GetRequiredService<ProvisioningLogService>().QueryAsync(
            new ProvisioningLogQuery(FunctionsAppHarness.Job) { From = since }, 100, CancellationToken.None);
}
