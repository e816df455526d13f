using System.Text;
using Microsoft.AspNetCore.Http;

namespace ScimSync.Admin.Page;

/// <summary>
/// A server-rendered page with headers that keep it to itself: nothing loads from elsewhere (the content security
/// policy admits only the page's own style and script, by hash), no other site may frame it, and no referrer leaves
/// it (a Functions host key may be in its URL). Never cached: it shows live state.
/// </summary>
public sealed class HtmlResult(string html, int statusCode) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public string Html { get; } = html;

    public int? StatusCode { get; } = statusCode;

    public string ContentType => "text/html; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = PageAssets.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        var bytes = Encoding.UTF8.GetBytes(Html);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
    }
}
