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

    // No one-second window holds more requests than the rate: the bucket holds a twentieth of a second's tokens (the most
    // sent at once) and refills at the rate less that, so a full bucket and a second's refill stay within the rate.
    // Targets count requests in sliding windows: a bucket of a second's tokens refilled at the full rate sent up to
    // twice the rate in one and drew 429s. Below two requests a second it refills at half the rate.
    private static TokenBucketRateLimiter Create(double requestsPerSecond)
    {
        var burst = Math.Max(1, (int)Math.Ceiling(requestsPerSecond / 20));
        var refill = Math.Max(requestsPerSecond - burst, requestsPerSecond / 2);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = burst,
            ReplenishmentPeriod = TimeSpan.FromSeconds(burst / refill),
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
