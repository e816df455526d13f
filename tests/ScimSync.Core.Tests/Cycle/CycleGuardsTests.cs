using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;

namespace ScimSync.Core.Tests.Cycle;

public sealed class CycleGuardsTests
{
    [Theory]
    [InlineData(500, 1000, 0.5, true)]
    [InlineData(499, 1000, 0.5, false)]
    [InlineData(1, 1, 0.5, true)]
    [InlineData(0, 0, 0.5, false)]
    [InlineData(3, 0, 0.5, true)]
    [InlineData(10, 1000, 0, true)]
    [InlineData(999, 1000, 1, false)]
    public void A_full_user_read_passes_only_at_or_above_the_floor(int read, int known, double ratio, bool passes)
    {
        var verdict = CycleGuards.CheckFullRead(ObjectKind.User, read, known, ratio, "jobs[0]");

        Assert.Equal(passes, verdict.Passed);
        Assert.Equal(passes, verdict.Reason is null);
    }

    [Fact]
    public void An_empty_group_read_passes_only_when_the_job_knows_no_group()
    {
        Assert.True(CycleGuards.CheckFullRead(ObjectKind.Group, 0, 0, 0.5, "jobs[0]").Passed);
        var stopped = CycleGuards.CheckFullRead(ObjectKind.Group, 0, 3, 0.5, "jobs[0]");

        Assert.False(stopped.Passed);
        Assert.Contains("returned no groups", stopped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_read_names_the_counts_and_the_setting_to_change()
    {
        var verdict = CycleGuards.CheckFullRead(ObjectKind.User, 120, 1000, 0.5, "jobs[2]");

        Assert.Contains("returned 120 users in a full read, but the job knows 1,000", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("jobs[2].policy.minimumFullReadRatio", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed in the target", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, 500, false, false)]
    [InlineData(501, 500, false, true)]
    [InlineData(600, 500, false, true)]
    [InlineData(1, 500, true, true)]
    [InlineData(0, 500, true, false)]
    [InlineData(1, 0, false, true)]
    [InlineData(0, 0, false, false)]
    public void Deprovisions_above_the_threshold_or_while_others_are_held_are_staged(int deprovisions, int threshold, bool held, bool staged) =>
        Assert.Equal(staged, CycleGuards.MustStageDeprovisions(deprovisions, threshold, held));

    [Theory]
    [InlineData(500, 20, 400, 80)]
    [InlineData(500, 20, 10_000, 500)]
    [InlineData(500, 20, 12, 10)]
    [InlineData(500, 100, 300, 300)]
    [InlineData(3, 20, 1_000, 3)]
    public void The_threshold_is_the_count_or_the_share_of_managed_objects_whichever_is_smaller_and_the_share_never_below_ten(
        int threshold, double percent, int managed, int expected) =>
        Assert.Equal(expected, CycleGuards.DeletionThreshold(threshold, percent, managed));

    [Fact]
    public void The_held_reason_says_how_many_and_what_to_do()
    {
        var reason = CycleGuards.DeletionsHeldReason(600, 500, "jobs[0]");

        Assert.Contains("600 users and groups, more than the deletion threshold of 500 (jobs[0].policy.deletionThreshold and jobs[0].policy.deletionThresholdPercent", reason, StringComparison.Ordinal);
        Assert.Contains("allow-deletes", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CycleGuards.CheckFullRead(ObjectKind.User, -1, 0, 0.5, "jobs[0]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => CycleGuards.MustStageDeprovisions(-1, 500, false));
    }
}
