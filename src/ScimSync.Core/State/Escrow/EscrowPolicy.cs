using Microsoft.Extensions.Options;

namespace ScimSync.Core.State.Escrow;

/// <summary>
/// Computes when an escrowed object is next retried: the first failure is retried after
/// <see cref="EscrowPolicyOptions.FirstRetryDelay"/> (the next cycle by default), the n-th after
/// <see cref="EscrowPolicyOptions.BaseDelay"/> × 2^(n−2), capped at <see cref="EscrowPolicyOptions.MaxDelay"/>.
/// </summary>
public sealed class EscrowPolicy(IOptions<EscrowPolicyOptions> options, TimeProvider timeProvider)
{
    private readonly EscrowPolicyOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    /// <summary>The wait before retrying an object that has failed <paramref name="escrowCount"/> times in a row.</summary>
    public TimeSpan DelayFor(int escrowCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(escrowCount, 1);
        if (escrowCount == 1)
        {
            return Min(_options.FirstRetryDelay, _options.MaxDelay);
        }

        // Doubling past 2^30 overflows TimeSpan for any sensible base; the cap has long been reached by then.
        var exponent = Math.Min(escrowCount - 2, 30);
        var ticks = _options.BaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= _options.MaxDelay.Ticks ? _options.MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>When an object that has now failed <paramref name="escrowCount"/> times is next due.</summary>
    public DateTimeOffset NextRetryAt(int escrowCount) => timeProvider.GetUtcNow() + DelayFor(escrowCount);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
