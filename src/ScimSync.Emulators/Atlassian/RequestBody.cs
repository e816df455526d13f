using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ScimSync.Emulators.Atlassian;

/// <summary>Reads and checks request bodies (atlassian-scim-api.md §1: application/json or application/scim+json).</summary>
internal static class RequestBody
{
    // SCIM attribute names are case-insensitive (RFC 7643 §2.1), so lookups in request bodies are too.
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || mediaType.MediaType.Equals("application/scim+json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ScimException(
                StatusCodes.Status415UnsupportedMediaType, null,
                $"Content-Type '{request.ContentType}' is not supported; send application/scim+json or application/json.");
        }

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, NodeOptions, default, cancellationToken) as JsonObject
                   ?? throw ScimException.InvalidSyntax("The request body must be a JSON object.");

            // JsonObject builds its dictionaries lazily: build them all now so a repeated attribute fails here, as a 400.
            Materialize(body);
        }
        catch (JsonException e)
        {
            throw ScimException.InvalidSyntax($"The request body is not valid JSON: {e.Message}");
        }
        catch (ArgumentException e)
        {
            // Two properties differing only in case cannot coexist in a case-insensitive object.
            throw ScimException.InvalidSyntax($"The request body repeats an attribute: {e.Message}");
        }

        return body;
    }

    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, member) in obj)
                {
                    Materialize(member);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Materialize(item);
                }

                break;
        }
    }

    public static void RequireSchema(JsonObject body, string urn)
    {
        var schemas = body["schemas"] as JsonArray;
        var present = schemas?.Any(s => s is JsonValue v && v.TryGetValue<string>(out var text)
                                                            && string.Equals(text, urn, StringComparison.OrdinalIgnoreCase)) ?? false;
        if (!present)
        {
            throw ScimException.InvalidSyntax($"The 'schemas' attribute must include '{urn}'.");
        }
    }

    public static string? OptionalString(JsonNode? node, string attribute) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw ScimException.InvalidValue($"'{attribute}' must be a string."),
    };

    /// <summary>A boolean, also accepted as the strings "True"/"False" in any case, which Entra sends without aadOptscim062020.</summary>
    public static bool Boolean(JsonNode? node, string attribute)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue<bool>(out var flag))
            {
                return flag;
            }

            if (value.TryGetValue<string>(out var text) && bool.TryParse(text.Trim(), out flag))
            {
                return flag;
            }
        }

        throw ScimException.InvalidValue($"'{attribute}' must be true or false.");
    }
}
