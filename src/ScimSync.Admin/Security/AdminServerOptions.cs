namespace ScimSync.Admin.Security;

/// <summary>
/// The admin server of <c>scimsync run</c> (section <c>ScimSync:Admin</c>). The Functions app does not read it: its
/// function keys protect the same endpoints.
/// </summary>
public sealed class AdminServerOptions
{
    public const string SectionName = "ScimSync:Admin";

    /// <summary>The loopback URL to serve the admin API and status page on, e.g. <c>http://127.0.0.1:7280</c>; none: not served.</summary>
    public Uri? Url { get; set; }

    /// <summary>The key every request must carry (header <c>X-ScimSync-Admin-Key</c>, or a browser session signed in with it).</summary>
    public string? Key { get; set; }

    /// <summary>Whether the admin server is to be started.</summary>
    public bool Enabled => Url is not null;
}
