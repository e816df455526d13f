using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Page;

namespace ScimSync.Admin.Security;

/// <summary>
/// <c>scimsync run</c>'s sign-in: the admin key typed into a form becomes a session cookie (HttpOnly, SameSite=Strict,
/// limited to the admin paths), so a browser can open the status page without sending the key in a header.
/// </summary>
public sealed class SignInHandler(AdminKey key)
{
    /// <summary>The sign-in form.</summary>
    public static IResult Form(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new HtmlResult(SignInPage.Render(PageLinks.From(request.HttpContext).SignIn, failed: false), StatusCodes.Status200OK);
    }

    /// <summary>Checks the posted key; right: sets the session and goes to the status page; wrong: 401 and the form again.</summary>
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var presented = request.HasFormContentType ? (await request.ReadFormAsync(cancellationToken))["key"].ToString() : null;
        if (!key.IsKey(presented))
        {
            return new HtmlResult(SignInPage.Render(PageLinks.From(request.HttpContext).SignIn, failed: true), StatusCodes.Status401Unauthorized);
        }

        request.HttpContext.Response.Cookies.Append(AdminKeyFilter.SessionCookie, key.SessionValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            Path = PageLinks.From(request.HttpContext).AdminRoot.TrimEnd('/'),
            IsEssential = true,
        });
        return new SeeOtherResult(PageLinks.From(request.HttpContext).Page());
    }
}
