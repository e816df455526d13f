namespace ScimSync.Functions.Admin;

/// <summary>
/// The admin API's routes in the Functions app: the shared routes under one more segment, because the Functions host
/// refuses a function route that starts with <c>admin</c> (its own management API lives there). The page builds its
/// links from the path it was served at, so they follow.
/// </summary>
internal static class AdminFunctionRoutes
{
    public const string Prefix = "scimsync/";
}
