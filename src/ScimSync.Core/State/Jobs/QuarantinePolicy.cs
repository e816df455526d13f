using Microsoft.Extensions.Options;

namespace ScimSync.Core.State.Jobs;

/// <summary>
/// Entra's quarantine rules as a pure policy: when failures dominate, and when a quarantined job next runs
/// (6 h, 12 h and 24 h after the series began, then every 24 h) until it has been quarantined for
/// <see cref="QuarantinePolicyOptions.PauseAfter"/>.
/// </summary>
public sealed class QuarantinePolicy(IOptions<QuarantinePolicyOptions> options)
{
    private readonly QuarantinePolicyOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    /// <summary>Failures a cycle has at the least before they can dominate it.</summary>
    public long MinimumFailures => Math.Min(_options.MinimumFailures, _options.MaxFailuresIncludingReferences);

    /// <summary>
    /// Whether a job with these counts must be quarantined. Reference failures (a member or manager not yet
    /// provisioned) count only towards <see cref="QuarantinePolicyOptions.MaxFailuresIncludingReferences"/>.
    /// </summary>
    public bool FailuresDominate(long failures, long successes, long referenceFailures = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failures);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceFailures);
        if (failures + referenceFailures > _options.MaxFailuresIncludingReferences)
        {
            return true;
        }

        if (failures < _options.MinimumFailures)
        {
            return false;
        }

        return failures > _options.MaxFailures || (double)failures / (failures + successes) > _options.FailureShare;
    }

    /// <summary>
    /// When the quarantined job runs its <paramref name="attempt"/>-th retry (1-based) of a series that began at
    /// <paramref name="seriesBegan"/>.
    /// </summary>
    public static DateTimeOffset NextAttemptAt(DateTimeOffset seriesBegan, int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return attempt switch
        {
            1 => seriesBegan.AddHours(6),
            2 => seriesBegan.AddHours(12),
            _ => seriesBegan.AddHours(24L * (attempt - 2)),
        };
    }

    /// <summary>Whether a job quarantined since <paramref name="seriesBegan"/> has been so too long and must pause.</summary>
    public bool MustPause(DateTimeOffset seriesBegan, DateTimeOffset now) => now - seriesBegan >= _options.PauseAfter;
}
