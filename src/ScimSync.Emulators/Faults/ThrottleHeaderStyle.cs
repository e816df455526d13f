namespace ScimSync.Emulators.Faults;

/// <summary>How a throttled (429) answer tells the client when to come back.</summary>
public enum ThrottleHeaderStyle
{
    /// <summary><c>Retry-After</c> with whole seconds (Graph, and the header SCIM clients are told to honour first).</summary>
    RetryAfterSeconds,

    /// <summary>
    /// <c>X-RateLimit-Reset</c> with an ISO-8601 UTC instant plus <c>X-RateLimit-Limit</c>/<c>X-RateLimit-Remaining</c>,
    /// the headers Atlassian's organization APIs document, and no <c>Retry-After</c>.
    /// </summary>
    RateLimitReset,

    /// <summary>
    /// <c>Retry-After</c> in seconds with milliseconds (<c>2.128</c>), as Graph's own sample 429 shows
    /// (graph-delta.md §4). The Graph SDK reads only whole seconds or a date, so it falls back to its own delay.
    /// </summary>
    RetryAfterDecimal,
}
