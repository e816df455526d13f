using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace ScimSync.Admin.Page;

/// <summary>
/// Where the page's links and forms go, and what every form carries, in either host: the form token that
/// <c>scimsync run</c>'s key check issued for this request, and the Functions key (<c>code</c>) the page was opened
/// with, since a browser form cannot send a header. URLs start from the request's own path up to <c>/admin/</c>, so
/// they hold under any route prefix.
/// </summary>
/// <param name="AdminRoot">The path of the admin root, e.g. <c>/api/scimsync/admin/</c>.</param>
/// <param name="FunctionsKey">The <c>code</c> query value the request carried, if any.</param>
/// <param name="FormToken">The form token to embed, if the host issued one.</param>
public sealed record PageLinks(string AdminRoot, string? FunctionsKey, string? FormToken)
{
    private const string FormTokenItem = "ScimSync.Admin.FormToken";
    private const string FunctionsKeyParameter = "code";
    private const string AdminSegment = "/admin/";

    /// <summary>Records the form token the page must embed (the admin key check sets it).</summary>
    public static void SetFormToken(HttpContext context, string token)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[FormTokenItem] = token;
    }

    public static PageLinks From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var path = (request.PathBase + request.Path).Value ?? "/";
        var at = path.IndexOf(AdminSegment, StringComparison.OrdinalIgnoreCase);
        var root = at < 0 ? AdminRoutes.RunPrefix + AdminSegment : path[..(at + AdminSegment.Length)];
        var code = request.Query.TryGetValue(FunctionsKeyParameter, out var value) && !string.IsNullOrEmpty(value) ? value.ToString() : null;
        var token = context.Items.TryGetValue(FormTokenItem, out var item) ? item as string : null;
        return new PageLinks(root, code, token);
    }

    /// <summary>A path under the admin root with query parameters (encoded here) and the Functions key carried over.</summary>
    public string Url(string relative, params (string Name, string? Value)[] query)
    {
        var pairs = query.Where(pair => !string.IsNullOrEmpty(pair.Value)).Select(pair => (pair.Name, Value: pair.Value!)).ToList();
        if (FunctionsKey is not null)
        {
            pairs.Add((FunctionsKeyParameter, FunctionsKey));
        }

        return pairs.Count == 0
            ? AdminRoot + relative
            : AdminRoot + relative + "?" + string.Join('&', pairs.Select(pair => UrlEncoder.Default.Encode(pair.Name) + "=" + UrlEncoder.Default.Encode(pair.Value)));
    }

    /// <summary>The URL of a job's action, e.g. <c>/api/scimsync/admin/jobs/hr/allow-deletes</c>.</summary>
    public string JobAction(string job, string action) => Url("jobs/" + UrlEncoder.Default.Encode(job) + "/" + action);

    /// <summary>The status page, with what was just done for it to say.</summary>
    public string Page(PageNotice? notice = null) =>
        notice is null ? Url("page") : Url("page", ("done", notice.Action), ("job", notice.Job), ("count", notice.Count?.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Where the sign-in form posts.</summary>
    public string SignIn => Url("sign-in");
}
