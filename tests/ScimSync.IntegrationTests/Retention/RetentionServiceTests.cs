using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Retention;
using ScimSync.Core.Scheduling;
using ScimSync.Core.State.Progress;
using ScimSync.IntegrationTests.Infrastructure;
using ScimSync.IntegrationTests.Scheduling;

namespace ScimSync.IntegrationTests.Retention;

[Collection(AzuriteCollection.Name)]
public sealed class RetentionServiceTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("kept");

    [Fact]
    public async Task Logs_progress_and_poison_records_past_their_retention_are_deleted_and_the_rest_kept()
    {
        await using var jobs = await ScheduledJobs.StartAsync(
            azurite,
            new Dictionary<string, TimeSpan> { [Job.Value] = TimeSpan.FromMinutes(5) },
            new Dictionary<string, string?>
            {
                ["ScimSync:Logs:RetentionDays"] = "7",
                ["ScimSync:Retention:ProgressDays"] = "3",
                ["ScimSync:Retention:PoisonDays"] = "14",
            });
        var services = jobs.NewInstance();
        var logs = services.GetRequiredService<ProvisioningLogStore>();
        var progress = services.GetRequiredService<ProgressStore>();
        var poison = services.GetRequiredService<PoisonMessageStore>();
        var start = jobs.Clock.GetUtcNow();
        for (var day = 0; day < 20; day++)
        {
            await logs.WriteAsync(Entry($"e{day:D2}", start.AddDays(day)));
            await progress.SetEnqueuedAsync(Job, $"cycle-{day:D2}", 1);
            await poison.RecordAsync("work", $"m{day:D2}", 5, "unreadable", "{}");
            jobs.Clock.Advance(TimeSpan.FromDays(1));
        }

        // The job's latest cycle is kept whatever its age: the status page shows its progress.
        await services.GetRequiredService<DueCycleRunner>().RunDueAsync();
        var latest = (await services.GetRequiredService<JobStatusService>().GetStatusAsync(Job)).LastCycle!.CycleId;
        jobs.Clock.Advance(TimeSpan.FromDays(5));

        var report = await services.GetRequiredService<RetentionService>().CleanUpAsync();

        // Now is day 25: logs from day 18 on (the whole days within 7), progress rows from day 22 on (none but the
        // latest cycle's), poison records from day 11 on.
        var kept = await services.GetRequiredService<ProvisioningLogService>().QueryAsync(
            new ProvisioningLogQuery(Job) { From = start }, limit: 100);
        Assert.Equal(["e18", "e19"], kept.Select(entry => entry.Id).Order(StringComparer.Ordinal));
        for (var day = 0; day < 20; day++)
        {
            Assert.Equal(0, (await progress.GetAsync(Job, $"cycle-{day:D2}")).Enqueued);
        }

        Assert.NotEqual(0, (await progress.GetAsync(Job, latest)).Enqueued);
        var poisonKept = await poison.ListAsync("work").Select(message => message.MessageId).ToListAsync();
        Assert.Equal(Enumerable.Range(11, 9).Select(day => $"m{day:D2}"), poisonKept.Order(StringComparer.Ordinal));
        Assert.Equal(new RetentionReport(18, 20, 11), report);

        Assert.Equal(new RetentionReport(0, 0, 0), await services.GetRequiredService<RetentionService>().CleanUpAsync());
    }

    private static ProvisioningLogEntry Entry(string id, DateTimeOffset at) => new()
    {
        Id = id,
        Job = Job,
        CycleId = "c-1",
        ChangeId = "change-" + id,
        ActivityDateTime = at,
        Action = ProvisioningAction.Update,
        Status = ProvisioningStatus.Success,
        SourceIdentity = new ProvisionedIdentity("u-" + id, "Adele Vance", "User"),
        DurationInMilliseconds = 5,
    };
}
