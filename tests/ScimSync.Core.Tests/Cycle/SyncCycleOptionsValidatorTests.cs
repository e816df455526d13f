using ScimSync.Core.Cycle;

namespace ScimSync.Core.Tests.Cycle;

public sealed class SyncCycleOptionsValidatorTests
{
    private static readonly SyncCycleOptionsValidator Validator = new("ScimSync:Cycle");

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(Validator.Validate(null, new SyncCycleOptions()).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(1_000_000)]
    public void No_waves_or_a_depth_of_at_least_a_hundred_is_valid(int depth)
    {
        Assert.True(Validator.Validate(null, new SyncCycleOptions { MaxQueueDepth = depth }).Succeeded);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(99)]
    [InlineData(1_000_001)]
    public void A_queue_depth_too_small_to_make_waves_of_or_too_large_is_refused_naming_the_setting(int depth)
    {
        var result = Validator.Validate(null, new SyncCycleOptions { MaxQueueDepth = depth });

        Assert.Contains("ScimSync:Cycle:MaxQueueDepth", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("01:00:01")]
    public void A_negative_wave_wait_or_one_over_an_hour_is_refused_naming_the_setting(string wait)
    {
        var result = Validator.Validate(null, new SyncCycleOptions { MaxWaveWait = TimeSpan.Parse(wait, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Contains("ScimSync:Cycle:MaxWaveWait", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(10_000_000)]
    public void Holding_the_whole_plan_or_at_least_a_hundred_objects_is_valid(int held)
    {
        Assert.True(Validator.Validate(null, new SyncCycleOptions { MaxHeldObjects = held }).Succeeded);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(99)]
    [InlineData(10_000_001)]
    public void A_hold_too_small_to_send_ahead_in_batches_or_too_large_is_refused_naming_the_setting(int held)
    {
        var result = Validator.Validate(null, new SyncCycleOptions { MaxHeldObjects = held });

        Assert.Contains("ScimSync:Cycle:MaxHeldObjects", result.FailureMessage, StringComparison.Ordinal);
    }
}
