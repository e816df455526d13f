using System.Net;

namespace ScimSync.Core.Scim;

/// <summary>
/// The one error the SCIM client throws: the HTTP status (null when no response arrived), SCIM <c>scimType</c> and
/// <c>detail</c>, the target's trace id, the request method and path (never the token or the body), and a
/// classification the engine acts on.
/// </summary>
public sealed class ScimException : Exception
{
    public ScimException(
        ScimErrorClassification classification,
        string method,
        string path,
        HttpStatusCode? status,
        string? scimType,
        string? detail,
        string? traceId,
        bool outcomeUnknown = false,
        Exception? innerException = null)
        : base(Describe(classification, method, path, status, scimType, detail, traceId, outcomeUnknown), innerException)
    {
        Classification = classification;
        Method = method;
        Path = path;
        Status = status;
        ScimType = scimType;
        Detail = detail;
        TraceId = traceId;
        OutcomeUnknown = outcomeUnknown;
    }

    public ScimErrorClassification Classification { get; }

    /// <summary>The HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>The request path and query relative to the target's base URL.</summary>
    public string Path { get; }

    /// <summary>The HTTP status, or null when no response arrived (timeout, connection failure).</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>The SCIM error's <c>scimType</c> (e.g. <c>uniqueness</c>, <c>invalidFilter</c>), when given.</summary>
    public string? ScimType { get; }

    /// <summary>The target's human-readable explanation, when given.</summary>
    public string? Detail { get; }

    /// <summary>The target's trace or request id, from the body or response headers, for its support team.</summary>
    public string? TraceId { get; }

    /// <summary>
    /// True when a non-idempotent request (a POST) may have reached the target although no answer said so: the
    /// resource may exist. Resolve it by re-matching (see <see cref="ScimClient.CreateOrAdoptAsync"/>), never by
    /// posting again blindly.
    /// </summary>
    public bool OutcomeUnknown { get; }

    /// <summary>
    /// How long the target asked to wait (Retry-After or X-RateLimit-Reset) when it throttled or was unavailable;
    /// the engine re-enqueues the work with this delay.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    private static string Describe(
        ScimErrorClassification classification, string method, string path, HttpStatusCode? status, string? scimType,
        string? detail, string? traceId, bool outcomeUnknown)
    {
        var what = status is { } code ? $"{(int)code} {code}" : "no response";
        var text = $"SCIM {method} {path} failed ({what}, {classification})";
        if (!string.IsNullOrWhiteSpace(scimType))
        {
            text += $" scimType={scimType}";
        }

        if (!string.IsNullOrWhiteSpace(detail))
        {
            text += $": {detail}";
        }

        if (!string.IsNullOrWhiteSpace(traceId))
        {
            text += $" [trace id {traceId}]";
        }

        if (outcomeUnknown)
        {
            text += " The request may have been applied; re-match before creating again.";
        }

        return text;
    }

    /// <summary>The classification of an HTTP status.</summary>
    public static ScimErrorClassification Classify(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => ScimErrorClassification.Unauthorized,
        404 => ScimErrorClassification.NotFound,
        409 => ScimErrorClassification.Conflict,
        408 or 429 or 500 or 502 or 503 or 504 => ScimErrorClassification.Transient,
        _ => ScimErrorClassification.Invalid,
    };
}
