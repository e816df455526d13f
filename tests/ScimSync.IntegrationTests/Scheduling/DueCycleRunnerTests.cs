using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Admin;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Core.Scheduling;
using ScimSync.Core.State.Jobs;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Scheduling;

[Collection(AzuriteCollection.Name)]
public sealed class DueCycleRunnerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_one_minute_tick_over_three_jobs_runs_only_the_due_ones()
    {
        await using var jobs = await ScheduledJobs.StartAsync(azurite, new Dictionary<string, TimeSpan>
        {
            ["every-minute"] = TimeSpan.FromMinutes(1),
            ["every-five"] = TimeSpan.FromMinutes(5),
            ["every-ten"] = TimeSpan.FromMinutes(10),
        });
        var due = jobs.NewInstance().GetRequiredService<DueCycleRunner>();

        var ran = new List<string>();
        for (var minute = 0; minute <= 10; minute++)
        {
            var cycles = await due.RunDueAsync();
            Assert.All(cycles, cycle => Assert.Equal(CycleStatus.Completed, cycle.Report.Status));
            var read = jobs.JobsReadSinceLastAsked();
            Assert.Equal(cycles.Select(cycle => cycle.Job.Value).Order(StringComparer.Ordinal), read);
            ran.Add($"{minute}: {string.Join(" ", read)}");
            jobs.Clock.Advance(Tick);
        }

        Assert.Equal(
            [
                "0: every-five every-minute every-ten",
                "1: every-minute", "2: every-minute", "3: every-minute", "4: every-minute",
                "5: every-five every-minute",
                "6: every-minute", "7: every-minute", "8: every-minute", "9: every-minute",
                "10: every-five every-minute every-ten",
            ],
            ran);
    }

    [Fact]
    public async Task A_paused_job_never_runs_and_a_quarantined_job_runs_after_its_back_off()
    {
        await using var jobs = await ScheduledJobs.StartAsync(azurite, new Dictionary<string, TimeSpan>
        {
            ["paused"] = TimeSpan.FromMinutes(1),
            ["quarantined"] = TimeSpan.FromMinutes(1),
            ["active"] = TimeSpan.FromMinutes(1),
        });
        var instance = jobs.NewInstance();
        var due = instance.GetRequiredService<DueCycleRunner>();
        await due.RunDueAsync();
        jobs.JobsReadSinceLastAsked();
        await instance.GetRequiredService<JobControlService>().PauseAsync(new JobId("paused"));
        var quarantined = await instance.GetRequiredService<JobHealth>().QuarantineNowAsync(new JobId("quarantined"), "The SCIM target refused the job's credentials.");
        var backOffEnds = quarantined.NextAttemptAt!.Value;

        var ran = new List<string>();
        for (var minute = 1; minute <= 61; minute++)
        {
            jobs.Clock.Advance(Tick);
            await due.RunDueAsync();
            if (jobs.JobsReadSinceLastAsked() is { Count: > 0 } read && read is not ["active"])
            {
                ran.Add($"{minute}: {string.Join(" ", read)}");
            }
        }

        Assert.Equal(TimeSpan.FromHours(1), backOffEnds - (jobs.Clock.GetUtcNow() - TimeSpan.FromMinutes(61)));
        Assert.Equal(["60: active quarantined"], ran);
        var status = await instance.GetRequiredService<JobStatusService>().GetStatusAsync(new JobId("paused"));
        Assert.Equal(JobStatus.Paused, status.Status);
    }

    [Fact]
    public async Task Two_instances_ticking_at_once_run_each_due_cycle_once()
    {
        await using var jobs = await ScheduledJobs.StartAsync(azurite, new Dictionary<string, TimeSpan>
        {
            ["first"] = TimeSpan.FromMinutes(1),
            ["second"] = TimeSpan.FromMinutes(1),
            ["third"] = TimeSpan.FromMinutes(5),
        });
        var one = jobs.NewInstance().GetRequiredService<DueCycleRunner>();
        var other = jobs.NewInstance().GetRequiredService<DueCycleRunner>();

        for (var minute = 0; minute < 3; minute++)
        {
            var ticks = await Task.WhenAll(one.RunDueAsync(), other.RunDueAsync());

            var ran = ticks.SelectMany(cycles => cycles).Select(cycle => cycle.Job.Value).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(minute == 0 ? ["first", "second", "third"] : ["first", "second"], ran);
            Assert.Equal(ran, jobs.JobsReadSinceLastAsked());
            jobs.Clock.Advance(Tick);
        }
    }
}
