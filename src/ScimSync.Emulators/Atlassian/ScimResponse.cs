using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ScimSync.Emulators.Atlassian;

/// <summary>A JSON answer: SCIM resources and errors as application/scim+json (§1), 401 failures as application/json.</summary>
internal sealed class ScimResponse(int statusCode, JsonNode? body, string contentType = ScimResponse.ScimJson, string? location = null) : IResult
{
    public const string ScimJson = "application/scim+json; charset=utf-8";

    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ScimResponse Error(ScimException error)
    {
        if (error.JavaExceptionBody)
        {
            // PUT /Groups answers 400 with a serialized Java BadRequestException rather than a SCIM error (§2, §10).
            return new ScimResponse(error.Status, new JsonObject
            {
                ["cause"] = null,
                ["stackTrace"] = new JsonArray(),
                ["responseStatus"] = "BAD_REQUEST",
                ["scimErrorType"] = error.ScimType,
                ["message"] = error.Message,
                ["localizedMessage"] = error.Message,
                ["suppressed"] = new JsonArray(),
            }, "application/json; charset=utf-8");
        }

        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUrns.Error),
            ["status"] = error.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (error.ScimType is not null)
        {
            body["scimType"] = error.ScimType;
        }

        body["detail"] = error.Message;
        return new ScimResponse(error.Status, body);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        if (body is null)
        {
            return;
        }

        response.ContentType = contentType;
        await response.WriteAsync(body.ToJsonString(Output), httpContext.RequestAborted);
    }
}
