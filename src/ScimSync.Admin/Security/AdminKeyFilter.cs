using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Page;

namespace ScimSync.Admin.Security;

/// <summary>
/// The admin key check of <c>scimsync run</c>. A request passes with the key in the <see cref="KeyHeader"/> header
/// (or as a bearer token), or with the session cookie a sign-in set; a state-changing request on a session must also
/// carry the form token the status page embeds, so another site cannot make a signed-in browser post to it. Anything
/// else is refused with 401 (a browser asking for HTML gets the sign-in form with it).
/// </summary>
public sealed class AdminKeyFilter(AdminKey key) : IEndpointFilter
{
    public const string KeyHeader = "X-ScimSync-Admin-Key";

    public const string FormTokenHeader = "X-ScimSync-Form-Token";

    public const string FormTokenField = "formToken";

    public const string SessionCookie = "scimsync_admin";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var request = http.Request;
        if (key.IsKey(request.Headers[KeyHeader]) || key.IsKey(BearerToken(request)))
        {
            PageLinks.SetFormToken(http, key.FormToken);
            return await next(context);
        }

        if (key.IsSession(request.Cookies[SessionCookie]))
        {
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || await CarriesFormTokenAsync(request))
            {
                PageLinks.SetFormToken(http, key.FormToken);
                return await next(context);
            }

            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "The form token is missing or wrong.",
                detail: "Use the buttons of the status page, or send the admin key in the " + KeyHeader + " header.");
        }

        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"scimsync-admin\"";
        return WantsHtml(request)
            ? new HtmlResult(SignInPage.Render(PageLinks.From(http).SignIn, failed: false), StatusCodes.Status401Unauthorized)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "The admin key is missing or wrong.",
                detail: $"Send the key of the setting {AdminServerOptions.SectionName}:Key in the {KeyHeader} header.");
    }

    internal static bool WantsHtml(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private async Task<bool> CarriesFormTokenAsync(HttpRequest request)
    {
        if (key.IsFormToken(request.Headers[FormTokenHeader]))
        {
            return true;
        }

        if (!request.HasFormContentType)
        {
            return false;
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        return key.IsFormToken(form[FormTokenField]);
    }

    private static string? BearerToken(HttpRequest request)
    {
        const string scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..] : null;
    }
}
