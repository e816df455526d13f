using ScimSync.Core.Admin;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Tests.Admin;

public sealed class StatusSummaryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "now")]
    [InlineData(40, "40 s")]
    [InlineData(5 * 60, "5 min")]
    [InlineData(5 * 3600 + 3 * 60, "5 h 3 min")]
    [InlineData(26 * 3600, "1 d 2 h")]
    public void Durations_read_as_plain_words(int seconds, string expected) =>
        Assert.Equal(expected, StatusSummary.Describe(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_quarantined_job_says_why_since_when_and_when_it_next_runs()
    {
        var state = new JobState(new JobId("j"))
        {
            Status = JobStatus.Quarantined,
            Reason = "The SCIM target refused the job's credentials.",
            QuarantinedSince = Now,
            NextAttemptAt = Now.AddHours(1),
        };

        var summary = StatusSummary.Summarize(state, 0, Now.AddMinutes(30));

        Assert.Equal(
            "Quarantined since 2026-03-01 08:00:00Z: The SCIM target refused the job's credentials. While quarantined the job runs at its quarantine interval; one successful cycle lifts it. Next attempt at 2026-03-01 09:00:00Z (in 30 min).",
            summary);
    }

    [Fact]
    public void A_job_that_never_ran_says_its_first_cycle_reads_everything() =>
        Assert.Contains("first one reads the whole directory", StatusSummary.Summarize(new JobState(new JobId("j")), 0, Now), StringComparison.Ordinal);

    [Fact]
    public void The_default_restart_is_Entras_quarantine_watermark_and_escrows_and_full_includes_them()
    {
        Assert.Equal(RestartScope.QuarantineState | RestartScope.Watermark | RestartScope.Escrows, RestartScope.Default);
        Assert.True(RestartScope.Full.HasFlag(RestartScope.Default));
        Assert.False(RestartScope.Default.HasFlag(RestartScope.Full));
    }
}
