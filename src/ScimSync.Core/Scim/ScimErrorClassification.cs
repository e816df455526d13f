namespace ScimSync.Core.Scim;

/// <summary>What the engine should do about a failed SCIM call.</summary>
public enum ScimErrorClassification
{
    /// <summary>Try again later: 429, 500, 502, 503, 504, timeouts, dropped or refused connections.</summary>
    Transient,

    /// <summary>409: the resource already exists (re-match and adopt) or a unique value is taken.</summary>
    Conflict,

    /// <summary>404: the resource (or the directory) does not exist.</summary>
    NotFound,

    /// <summary>400 and other client errors: the request itself must change.</summary>
    Invalid,

    /// <summary>401 or 403: the token is wrong, expired or lacks rights; quarantine the job.</summary>
    Unauthorized,
}
