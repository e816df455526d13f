using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scim.Http;

/// <summary>One token bucket per job, so each job keeps to its own requests-per-second cap.</summary>
internal sealed class ScimRateLimiters : IDisposable
{
    private readonly ConcurrentDictionary<JobId, (double Rate, TokenBucketRateLimiter Limiter)> _limiters = new();

    public RateLimiter For(JobId job, double requestsPerSecond)
    {
        var entry = _limiters.AddOrUpdate(
            job,
            _ => (requestsPerSecond, Create(requestsPerSecond)),
            (_, existing) =>
            {
                // The old bucket is not disposed: requests may still be queued on it, and a rate changes only when
                // a job's configuration does.
                return existing.Rate == requestsPerSecond ? existing : (requestsPerSecond, Create(requestsPerSecond));
            });
        return entry.Limiter;
    }

    // Tokens are added ten times a second (whole tokens, at least one per period), and a job may burst up to one
    // second's worth after a quiet spell.
    private static TokenBucketRateLimiter Create(double requestsPerSecond)
    {
        var perPeriod = Math.Max(1, (int)Math.Ceiling(requestsPerSecond / 10));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)Math.Ceiling(requestsPerSecond)),
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(perPeriod / requestsPerSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public void Dispose()
    {
        foreach (var (_, limiter) in _limiters.Values)
        {
            limiter.Dispose();
        }

        _limiters.Clear();
    }
}
