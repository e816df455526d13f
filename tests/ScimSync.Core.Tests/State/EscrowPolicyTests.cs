using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ScimSync.Core.State.Escrow;

namespace ScimSync.Core.Tests.State;

public sealed class EscrowPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static EscrowPolicy Policy(EscrowPolicyOptions? options = null) =>
        new(Options.Create(options ?? new EscrowPolicyOptions()), new FakeTimeProvider(Now));

    [Fact]
    public void The_first_failure_is_retried_in_the_next_cycle_by_default()
    {
        Assert.Equal(Now, Policy().NextRetryAt(1));
    }

    [Fact]
    public void Later_failures_wait_twice_as_long_each_time()
    {
        var policy = Policy();

        Assert.Equal(TimeSpan.FromMinutes(30), policy.DelayFor(2));
        Assert.Equal(TimeSpan.FromMinutes(60), policy.DelayFor(3));
        Assert.Equal(TimeSpan.FromMinutes(120), policy.DelayFor(4));
    }

    [Fact]
    public void The_wait_never_exceeds_the_cap_even_after_many_failures()
    {
        var policy = Policy();

        Assert.Equal(TimeSpan.FromHours(16), policy.DelayFor(7));
        Assert.Equal(TimeSpan.FromHours(24), policy.DelayFor(8));
        Assert.Equal(TimeSpan.FromHours(24), policy.DelayFor(1000));
        Assert.Equal(Now.AddHours(24), policy.NextRetryAt(int.MaxValue));
    }

    [Fact]
    public void The_schedule_follows_the_configured_delays()
    {
        var policy = Policy(new EscrowPolicyOptions
        {
            FirstRetryDelay = TimeSpan.FromMinutes(5),
            BaseDelay = TimeSpan.FromHours(6),
            MaxDelay = TimeSpan.FromHours(24),
        });

        Assert.Equal(
            [TimeSpan.FromMinutes(5), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromHours(24), TimeSpan.FromHours(24)],
            Enumerable.Range(1, 5).Select(policy.DelayFor));
    }

    [Fact]
    public void The_next_retry_time_moves_with_the_clock()
    {
        var clock = new FakeTimeProvider(Now);
        var policy = new EscrowPolicy(Options.Create(new EscrowPolicyOptions()), clock);

        clock.Advance(TimeSpan.FromHours(3));

        Assert.Equal(Now.AddHours(3).AddMinutes(30), policy.NextRetryAt(2));
    }

    [Fact]
    public void Options_with_a_cap_below_the_base_delay_fail_validation_naming_the_settings()
    {
        var result = new EscrowPolicyOptionsValidator("ScimSync:Escrow").Validate(null, new EscrowPolicyOptions
        {
            BaseDelay = TimeSpan.FromHours(2),
            MaxDelay = TimeSpan.FromHours(1),
        });

        Assert.True(result.Failed);
        Assert.Contains("ScimSync:Escrow:MaxDelay", result.FailureMessage, StringComparison.Ordinal);
    }
}
