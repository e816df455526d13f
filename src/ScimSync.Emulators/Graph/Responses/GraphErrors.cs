using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Responses;

/// <summary>Graph's error body: <c>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}</c>.</summary>
internal static class GraphErrors
{
    public const string ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public static Task WriteAsync(HttpContext context, int status, string code, string message, TimeProvider time)
    {
        var requestId = Guid.NewGuid().ToString();
        var clientRequestId = context.Request.Headers["client-request-id"].ToString();
        context.Response.Headers["request-id"] = requestId;
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteStartObject("innerError");
            writer.WriteString("date", GraphValue.Timestamp(time.GetUtcNow()));
            writer.WriteString("request-id", requestId);
            writer.WriteString("client-request-id", clientRequestId.Length > 0 ? clientRequestId : requestId);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).AsTask();
    }

    public static Task NotFound(HttpContext context, string id, TimeProvider time) =>
        WriteAsync(context, StatusCodes.Status404NotFound, "Request_ResourceNotFound",
            $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", time);

    public static Task UnsupportedQuery(HttpContext context, TimeProvider time, string message = "Unsupported Query.") =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "Request_UnsupportedQuery", message, time);

    public static Task BadRequest(HttpContext context, string message, TimeProvider time) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "Request_BadRequest", message, time);
}
