using System.Net;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Turns a failed SCIM call into what the worker does and what the provisioning log says, with the error codes the
/// Entra provisioning service logs (docs/reference/entra-provisioning-service.md §6), so admins who know Entra's
/// logs read ScimSync's the same way.
/// </summary>
public static class ScimFailureClassifier
{
    /// <summary>The code logged when several target objects match one source object.</summary>
    public const string DuplicateTargetEntries = "DuplicateTargetEntries";

    /// <summary>Entra's code for two source objects that map to the same target object.</summary>
    public const string DuplicateSourceEntries = "DuplicateSourceEntries";

    /// <summary>The error for <paramref name="error"/>, raised while doing <paramref name="activity"/> (e.g. "creating the User").</summary>
    public static ReconciliationError Classify(ScimException error, string activity)
    {
        ArgumentNullException.ThrowIfNull(error);
        var details = Details(error);
        var said = error.Detail is { Length: > 0 } detail ? $": {detail}" : ".";
        return error.Classification switch
        {
            ScimErrorClassification.Transient => new ReconciliationError(
                IsTargetUnavailable(error) ? WorkItemResult.TargetUnavailable : WorkItemResult.RetryLater,
                TransientCode(error.Status),
                $"The target could not take the request while {activity} ({Status(error)}){said} It is retried automatically.",
                error.RetryAfter is null ? null : $"Nothing to do: the target asked to wait {error.RetryAfter.Value.TotalSeconds:0} s before retrying.",
                details,
                error.RetryAfter),
            ScimErrorClassification.Unauthorized => new ReconciliationError(
                WorkItemResult.Unauthorized,
                error.Status == HttpStatusCode.Forbidden ? "InsufficientRights" : "Unauthorized",
                $"The target refused the credentials while {activity} ({Status(error)}){said} The job is quarantined until this is fixed.",
                "Check that the job's SCIM token setting holds the directory's current API key, then restart the job.",
                details),
            ScimErrorClassification.Conflict when error.ScimType == DuplicateTargetEntries => new ReconciliationError(
                WorkItemResult.Failed,
                DuplicateTargetEntries,
                $"Several objects in the target match this object while {activity}{said}",
                "Remove or merge the duplicate objects in the target so that exactly one matches, or change the matching attributes of the job's mappings.",
                details),
            ScimErrorClassification.Conflict => new ReconciliationError(
                WorkItemResult.Failed,
                "EntryConflict",
                $"The target refused the change while {activity} because a unique value is already taken{said}",
                "Find the object in the target that holds the value (for Atlassian, an account with the same email address), then free the value or correct the source object's attributes.",
                details),
            ScimErrorClassification.NotFound => new ReconciliationError(
                WorkItemResult.Failed,
                "InvalidAnchor",
                $"The target did not find what it was asked for while {activity}{said}",
                "Check the target's base URL; if the object was deleted in the target, the next cycle creates it again.",
                details),
            _ => new ReconciliationError(
                WorkItemResult.Failed,
                InvalidCode(error),
                $"The target rejected the request while {activity} ({Status(error)}){said}",
                "Correct the attribute mappings or the source object's values so that the target accepts them; the object is retried in later cycles.",
                details),
        };
    }

    /// <summary>
    /// True when the failure says the target as a whole cannot take requests now (429, 502-504, an open circuit, the
    /// process's own request limit, a refused connection), so it proves nothing about the object being reconciled.
    /// A timeout or a 500 may be caused by the object, so they count against it.
    /// </summary>
    public static bool IsTargetUnavailable(ScimException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            || error.InnerException is Polly.CircuitBreaker.BrokenCircuitException or Polly.RateLimiting.RateLimiterRejectedException
            || error.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
    }

    private static string TransientCode(HttpStatusCode? status) => status switch
    {
        HttpStatusCode.TooManyRequests => "TooManyRequests",
        null or HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => "Timeout",
        _ => "InternalServerError",
    };

    private static string InvalidCode(ScimException error) => (error.Status, error.ScimType) switch
    {
        (_, "unreadableResponse") => "SystemForCrossDomainIdentityManagementServiceIncompatible",
        (_, "mutability") => "SchemaPropertyCanOnlyAcceptValue",
        (_, "invalidPath" or "noTarget") => "SchemaAttributeNotFound",
        (HttpStatusCode.MethodNotAllowed, _) => "MethodNotAllowed",
        (HttpStatusCode.NotImplemented, _) => "NotImplemented",
        (HttpStatusCode.UnprocessableEntity, _) => "UnprocessableEntity",
        _ => "InvalidRequest",
    };

    private static string Status(ScimException error) =>
        error.Status is { } status ? $"{(int)status} {status}" : "no response";

    private static string Details(ScimException error)
    {
        var text = $"{error.Method} {error.Path}: {Status(error)}";
        if (error.ScimType is { Length: > 0 } type)
        {
            text += $", scimType {type}";
        }

        if (error.Detail is { Length: > 0 } detail)
        {
            text += $", target said: {detail}";
        }

        if (error.TraceId is { Length: > 0 } trace)
        {
            text += $" (trace id {trace})";
        }

        return text;
    }
}
