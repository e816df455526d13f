namespace ScimSync.Admin;

/// <summary>
/// The admin API's routes, the same in every host. Constants, so the Functions app's <c>HttpTrigger</c> attributes
/// use them too. The Functions host serves them under <c>api/scimsync/</c> (it keeps routes starting with
/// <c>admin</c> for itself); <c>scimsync run</c> serves them under <see cref="RunPrefix"/>, so a URL reads the same
/// in both, e.g. <c>/api/scimsync/admin/page</c>.
/// </summary>
public static class AdminRoutes
{
    /// <summary>Where <c>scimsync run</c> mounts the routes, as the Functions app does.</summary>
    public const string RunPrefix = "/api/scimsync";

    /// <summary>Every job's status as JSON (<c>?job=</c> for one).</summary>
    public const string Status = "admin/status";

    /// <summary>The status page (HTML).</summary>
    public const string Page = "admin/page";

    /// <summary>Provisioning log entries, newest first, with Entra's filters as query parameters.</summary>
    public const string Logs = "admin/logs";

    /// <summary>A dry run of a job's next cycle.</summary>
    public const string Plan = "admin/jobs/{job}/plan";

    /// <summary>Provision one user, or a group with its members, now.</summary>
    public const string Provision = "admin/jobs/{job}/provision";

    public const string Pause = "admin/jobs/{job}/pause";

    public const string Resume = "admin/jobs/{job}/resume";

    /// <summary>Restart with scopes (<c>?scope=Watermark,Escrows</c> or a form field).</summary>
    public const string Restart = "admin/jobs/{job}/restart";

    public const string AllowDeletes = "admin/jobs/{job}/allow-deletes";

    public const string DismissDeletes = "admin/jobs/{job}/dismiss-deletes";

    /// <summary>Makes every pending, poisoned, not-kept or escrowed object due again now.</summary>
    public const string Retry = "admin/jobs/{job}/retry";

    /// <summary>A drift scan of the job's target now (<c>?plan=true</c> for a dry run that writes nothing).</summary>
    public const string Audit = "admin/jobs/{job}/audit";

    /// <summary><c>scimsync run</c> only: trade the admin key for a browser session.</summary>
    public const string SignIn = "admin/sign-in";
}
