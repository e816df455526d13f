using Microsoft.Extensions.Options;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Tests.State;

public sealed class QuarantinePolicyTests
{
    private static readonly QuarantinePolicy Policy = new(Options.Create(new QuarantinePolicyOptions()));
    private static readonly DateTimeOffset Began = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(45_000, 0, 0, true)]
    [InlineData(30_000, 5_000, 0, true)]
    [InlineData(20_000, 100_000, 0, false)]
    [InlineData(4_999, 0, 0, false)]
    [InlineData(5_000, 7_000, 0, true)]
    [InlineData(5_000, 8_000, 0, false)]
    [InlineData(40_001, 1_000_000, 0, true)]
    [InlineData(1_000, 1_000_000, 59_001, true)]
    [InlineData(1_000, 0, 50_000, false)]
    public void Failures_dominate_by_Entras_documented_thresholds(long failures, long successes, long referenceFailures, bool quarantine)
    {
        Assert.Equal(quarantine, Policy.FailuresDominate(failures, successes, referenceFailures));
    }

    [Fact]
    public void A_quarantined_job_retries_after_6_12_and_24_hours_then_daily()
    {
        Assert.Equal(
            [Began.AddHours(6), Began.AddHours(12), Began.AddHours(24), Began.AddHours(48), Began.AddHours(72)],
            Enumerable.Range(1, 5).Select(attempt => QuarantinePolicy.NextAttemptAt(Began, attempt)));
    }

    [Fact]
    public void A_job_quarantined_for_four_weeks_must_pause()
    {
        Assert.False(Policy.MustPause(Began, Began.AddDays(27)));
        Assert.True(Policy.MustPause(Began, Began.AddDays(28)));
    }
}
