using System.Net;

namespace ScimSync.Core.Scim;

/// <summary>The outcome of a connection test, in words an admin can act on.</summary>
public sealed record ScimConnectionTestResult(
    bool Succeeded,
    HttpStatusCode? Status,
    ScimErrorClassification? Classification,
    string Reason,
    string? TraceId)
{
    public static ScimConnectionTestResult Success(HttpStatusCode status) =>
        new(true, status, null, "The target answered a user query with an empty list, as expected.", null);
}
