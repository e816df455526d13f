using Microsoft.Extensions.Options;

namespace ScimSync.Core.Worker;

/// <summary>
/// When unsettled work is tried again: a delayed resend of a message within one drain, and a re-drive of a pending
/// change by a later cycle. One place for the arithmetic, so the worker and the cycle agree.
/// </summary>
public sealed class RedrivePolicy(IOptions<QueueWorkerOptions> options)
{
    private static readonly TimeSpan MaxRedriveDelay = TimeSpan.FromDays(1);
    private readonly QueueWorkerOptions _options = options.Value;

    /// <summary>Attempts a work item gets for failures of its own object before it is poison.</summary>
    public int MaxAttempts => _options.MaxAttempts;

    /// <summary>How long a freshly enqueued change is left to its message before a cycle enqueues it again.</summary>
    public TimeSpan InFlightGrace => _options.InFlightGrace;

    /// <summary>The delay before the message is sent again after its <paramref name="tries"/>th failed try (1-based).</summary>
    public TimeSpan ResendDelay(int tries) => Doubled(_options.BaseRetryDelay, tries - 1, _options.MaxRetryDelay);

    /// <summary>The delay before a cycle re-drives a poisoned or unapplied change that was re-driven <paramref name="redrives"/> times.</summary>
    public TimeSpan RedriveDelay(int redrives) => Doubled(_options.PoisonRetryDelay, redrives, MaxRedriveDelay);

    private static TimeSpan Doubled(TimeSpan first, int doublings, TimeSpan max)
    {
        var ticks = first.Ticks * Math.Pow(2, Math.Clamp(doublings, 0, 30));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
