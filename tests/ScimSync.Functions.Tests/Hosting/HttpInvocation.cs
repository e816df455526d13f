using System.Text;
using Microsoft.AspNetCore.Http;

namespace ScimSync.Functions.Tests.Hosting;

/// <summary>An HTTP function's answer as the caller receives it.</summary>
internal sealed record HttpAnswer(int StatusCode, string? ContentType, string Body, string? Location);

/// <summary>
/// Calls an HTTP function the way the worker's ASP.NET Core integration does: an <see cref="HttpContext"/> over the
/// app's services, the function's <see cref="IResult"/> executed against it, and the written response read back.
/// </summary>
internal static class HttpInvocation
{
    public static async Task<HttpAnswer> InvokeAsync(
        this FunctionsAppHarness app, string method, string path, Func<HttpRequest, Task<IResult>> function, string? query = null, IReadOnlyDictionary<string, string>? form = null)
    {
        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("scimsync.example.test");
        context.Request.Path = path;
        context.Request.QueryString = query is null ? QueryString.Empty : new QueryString(query);
        if (form is not null)
        {
            using var content = new FormUrlEncodedContent(form);
            context.Request.ContentType = "application/x-www-form-urlencoded";
            context.Request.Body = new MemoryStream(await content.ReadAsByteArrayAsync());
        }

        var body = new MemoryStream();
        context.Response.Body = body;
        var result = await function(context.Request);
        await result.ExecuteAsync(context);
        return new HttpAnswer(
            context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(body.ToArray()), context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null);
    }
}
