namespace ScimSync.Emulators.Faults;

internal enum FaultKind
{
    None,
    Throttle,
    Fail,
    Hang,
    HangAfterProcessing,
    Drop,
    DropAfterProcessing,
    Malform,
    OmitId,
    Ignore,
    IgnoreNoContent,
}

/// <summary>What the middleware does with one request, decided by <see cref="FaultSettings"/>.</summary>
internal readonly record struct FaultDecision(
    TimeSpan Delay,
    FaultKind Kind,
    int StatusCode = 0,
    TimeSpan RetryAfter = default,
    ThrottleHeaderStyle ThrottleStyle = ThrottleHeaderStyle.RetryAfterSeconds,
    int RateLimit = 0);
