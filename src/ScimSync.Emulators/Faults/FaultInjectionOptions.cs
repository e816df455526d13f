using Microsoft.AspNetCore.Http;

namespace ScimSync.Emulators.Faults;

/// <summary>How the fault-injection middleware names routes and words the answers it makes up.</summary>
public sealed class FaultInjectionOptions
{
    /// <summary>
    /// A route-pattern prefix left out of counter keys and scopes, e.g. <c>/scim/directory/{directoryId}</c>, so a
    /// route reads <c>"PATCH /Users/{id}"</c>.
    /// </summary>
    public string RoutePrefix { get; set; } = string.Empty;

    /// <summary>
    /// Writes the body of an injected 429, 500 or 503 answer in the emulated service's error format. The default
    /// writes a SCIM error (<c>urn:ietf:params:scim:api:messages:2.0:Error</c>).
    /// </summary>
    public Func<HttpContext, int, string, Task> WriteErrorBody { get; set; } = WriteScimError;

    /// <summary>Adds the emulated service's own headers to an injected 429 (Graph: <c>x-ms-throttle-scope</c> and <c>x-ms-throttle-information</c>).</summary>
    public Action<HttpContext>? AddThrottleHeaders { get; set; }

    /// <summary>A SCIM error body: schemas, status as a string, detail.</summary>
    public static Task WriteScimError(HttpContext context, int statusCode, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.ContentType = "application/scim+json; charset=utf-8";
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["schemas"] = new System.Text.Json.Nodes.JsonArray("urn:ietf:params:scim:api:messages:2.0:Error"),
            ["status"] = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["detail"] = detail,
        };
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
