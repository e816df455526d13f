using ScimSync.Core.Identity;
using ScimSync.Core.Scheduling;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Tests.Scheduling;

public sealed class CycleScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);
    private static readonly JobState Active = new(new JobId("j"));

    [Fact]
    public void A_job_that_never_ran_is_due_at_once() => Assert.True(CycleSchedule.IsDue(null, Now));

    [Fact]
    public void An_active_job_is_due_when_its_next_cycle_time_has_come()
    {
        Assert.False(CycleSchedule.IsDue(Active with { NextCycleAt = Now.AddSeconds(1) }, Now));
        Assert.True(CycleSchedule.IsDue(Active with { NextCycleAt = Now }, Now));
    }

    [Fact]
    public void A_paused_job_is_never_due() =>
        Assert.Null(CycleSchedule.DueAt(Active with { Status = JobStatus.Paused, NextCycleAt = Now.AddDays(-1) }, Now));

    [Fact]
    public void A_quarantined_job_waits_for_its_next_attempt_even_when_its_interval_has_passed()
    {
        var quarantined = Active with { Status = JobStatus.Quarantined, NextAttemptAt = Now.AddHours(1), NextCycleAt = Now.AddMinutes(-4) };

        Assert.Equal(Now.AddHours(1), CycleSchedule.DueAt(quarantined, Now));
        Assert.True(CycleSchedule.IsDue(quarantined, Now.AddHours(1)));
    }
}
