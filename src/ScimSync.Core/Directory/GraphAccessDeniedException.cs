namespace ScimSync.Core.Directory;

/// <summary>
/// Graph refused ScimSync's credential (401) or the app lacks an application permission (403). Not transient: the job
/// should be quarantined until an admin grants the permission named in the message.
/// </summary>
public sealed class GraphAccessDeniedException(string message, int statusCode, string requiredPermission, Exception? inner = null)
    : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The Graph application permission the request needs, e.g. <c>User.Read.All</c>.</summary>
    public string RequiredPermission { get; } = requiredPermission;
}
