namespace ScimSync.Emulators.Faults;

/// <summary>What happened to one request that reached an emulator.</summary>
public enum RequestOutcome
{
    /// <summary>The emulator answered it normally (whatever the status code, 401 and 404 included).</summary>
    Served,

    /// <summary>Answered 429 by the rate limit or a scheduled throttle, without reaching the emulator.</summary>
    Throttled,

    /// <summary>Answered with an injected 500 or 503, without reaching the emulator.</summary>
    Failed,

    /// <summary>Never answered (processed first or not); it ended when the client gave up or the emulator stopped.</summary>
    Hung,

    /// <summary>The connection was aborted without a response (before or after the emulator processed it).</summary>
    Dropped,

    /// <summary>The emulator processed it, and the client got a 200 with a truncated, invalid JSON body or one without <c>id</c>.</summary>
    Malformed,

    /// <summary>Not carried out, but answered 200 with the resource as it is, as a target that ignores a write would.</summary>
    Ignored,
}
