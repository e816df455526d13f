using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Json;
using ScimSync.Admin.Page;
using ScimSync.Core.Admin;

namespace ScimSync.Admin.Handlers;

/// <summary>
/// How every handler answers: JSON for scripts; for a form posted by the status page, a redirect back to it that
/// says what was done; problems as RFC 9457 problem details with the cause in plain words.
/// </summary>
public static class AdminResults
{
    /// <summary>The outcome of an action on a job.</summary>
    public static IResult Action(HttpRequest request, JobActionResult result) =>
        Done(request, new PageNotice(result.Action.ToString(), result.Job.Value, result.Affected), result, AdminJsonContext.Default.JobActionResult);

    /// <summary>A form post goes back to the page with <paramref name="notice"/>; a script gets <paramref name="value"/> as JSON.</summary>
    public static IResult Done<T>(HttpRequest request, PageNotice notice, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(request);
        return IsFormPost(request)
            ? new SeeOtherResult(PageLinks.From(request.HttpContext).Page(notice))
            : TypedResults.Json(value, typeInfo);
    }

    /// <summary>The job id in the URL names no job of the job file.</summary>
    public static IResult UnknownJob(KeyNotFoundException missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job.", detail: missing.Message);
    }

    /// <summary>A parameter is missing or malformed; <paramref name="detail"/> names it and says what is expected.</summary>
    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.", detail: detail);

    /// <summary>Whether the request came from a browser form (answered with a redirect) rather than a script (answered with JSON).</summary>
    public static bool IsFormPost(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method) && request.HasFormContentType;
    }
}
