using System.Globalization;
using System.Net;
using Polly;
using Polly.Timeout;

namespace ScimSync.Core.Scim.Http;

/// <summary>
/// When the resilience pipeline retries a SCIM call and how long it waits. Idempotent calls (GET, PUT, PATCH, DELETE)
/// retry on 429, 5xx, timeouts and dropped connections. A POST retries only when the target surely did not act on
/// it: 429, 503 with Retry-After, or a connection that was never established.
/// </summary>
internal static class ScimRetryRules
{
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, TimeProvider time, TimeSpan maxDelay)
    {
        var idempotent = request?.Method != HttpMethod.Post;
        if (outcome.Result is { } response)
        {
            var serverDelay = ServerRequestedDelay(response, time);
            if (serverDelay > maxDelay)
            {
                // Waiting that long in-process would hold a worker; the caller re-enqueues with RetryAfter.
                return false;
            }

            return (int)response.StatusCode switch
            {
                429 => true,
                503 => idempotent || serverDelay is not null,
                408 or 500 or 502 or 504 => idempotent,
                _ => false,
            };
        }

        return outcome.Exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
            HttpRequestException or TimeoutRejectedException or IOException => idempotent,
            _ => false,
        };
    }

    /// <summary>Failures that count towards opening the circuit: server errors and no answer, not throttling.</summary>
    public static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response
            ? (int)response.StatusCode >= 500
            : outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException;

    /// <summary>
    /// The wait a throttled or unavailable target asked for: Retry-After (seconds or an HTTP date), else
    /// X-RateLimit-Reset (an ISO-8601 time, as Atlassian's organization APIs send); null when it asked for none.
    /// </summary>
    public static TimeSpan? ServerRequestedDelay(HttpResponseMessage response, TimeProvider time)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
        {
            return null;
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                return NonNegative(date - time.GetUtcNow());
            }
        }

        if (response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && values.FirstOrDefault() is { } reset)
        {
            if (DateTimeOffset.TryParse(reset, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return NonNegative(at - time.GetUtcNow());
            }

            // Some APIs send epoch seconds rather than a timestamp.
            if (long.TryParse(reset, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) && epoch > 1_000_000_000)
            {
                return NonNegative(DateTimeOffset.FromUnixTimeSeconds(epoch) - time.GetUtcNow());
            }
        }

        return null;
    }

    private static TimeSpan NonNegative(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;
}
