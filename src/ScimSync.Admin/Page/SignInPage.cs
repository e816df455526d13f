using System.Text.Encodings.Web;

namespace ScimSync.Admin.Page;

/// <summary>The sign-in form of <c>scimsync run</c>'s admin server: one labelled field for the admin key.</summary>
public static class SignInPage
{
    public static string Render(string action, bool failed)
    {
        var encoder = HtmlEncoder.Default;
        var error = failed
            ? """<p class="reason" role="alert" id="key-error">That is not the admin key. Use the value of the setting ScimSync:Admin:Key.</p>"""
            : string.Empty;
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · ScimSync admin</title>
            <style>{{PageAssets.Style}}</style>
            </head>
            <body>
            <header><h1>ScimSync admin</h1></header>
            <main>
            <p>This server runs provisioning jobs. Sign in with the admin key (the setting <code>ScimSync:Admin:Key</code>) to see their status.</p>
            {{error}}
            <form method="post" action="{{encoder.Encode(action)}}" class="actions">
            <label for="key">Admin key<input id="key" name="key" type="password" autocomplete="current-password" required{{(failed ? " aria-describedby=\"key-error\" aria-invalid=\"true\"" : string.Empty)}}></label>
            <button type="submit">Sign in</button>
            </form>
            </main>
            </body>
            </html>
            """;
    }
}
