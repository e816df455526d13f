using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimSync.Core.Scim;

/// <summary>A SCIM ListResponse (RFC 7644 §3.4.2); <c>Resources</c> is spelled with a capital R on the wire.</summary>
public sealed record ScimListResponse(
    [property: JsonPropertyName("schemas")] IReadOnlyList<string>? Schemas,
    [property: JsonPropertyName("totalResults")] int TotalResults,
    [property: JsonPropertyName("startIndex")] int? StartIndex,
    [property: JsonPropertyName("itemsPerPage")] int? ItemsPerPage,
    [property: JsonPropertyName("Resources")] IReadOnlyList<JsonElement>? Resources);

/// <summary>A SCIM PATCH request body (RFC 7644 §3.5.2).</summary>
public sealed record ScimPatchRequest(
    [property: JsonPropertyName("schemas")] IReadOnlyList<string> Schemas,
    [property: JsonPropertyName("Operations")] IReadOnlyList<ScimPatchOperation> Operations)
{
    public static ScimPatchRequest Of(IReadOnlyList<ScimPatchOperation> operations) => new([ScimSchemas.PatchOp], operations);
}

/// <summary>One PATCH operation. A null <see cref="Path"/> is Entra's pathless replace whose value is an object.</summary>
public sealed record ScimPatchOperation(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path,
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Value);

/// <summary>The parts of /ServiceProviderConfig (RFC 7643 §5) that change how ScimSync talks to a target.</summary>
public sealed record ScimServiceProviderConfigBody(
    [property: JsonPropertyName("patch")] ScimSupported? Patch,
    [property: JsonPropertyName("filter")] ScimFilterSupport? Filter,
    [property: JsonPropertyName("bulk")] ScimSupported? Bulk,
    [property: JsonPropertyName("etag")] ScimSupported? Etag);

public sealed record ScimSupported([property: JsonPropertyName("supported")] bool Supported);

public sealed record ScimFilterSupport(
    [property: JsonPropertyName("supported")] bool Supported,
    [property: JsonPropertyName("maxResults")] int? MaxResults);

/// <summary>One entry of /ResourceTypes (RFC 7643 §6).</summary>
public sealed record ScimResourceTypeBody(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("endpoint")] string? Endpoint,
    [property: JsonPropertyName("schema")] string? Schema,
    [property: JsonPropertyName("schemaExtensions")] IReadOnlyList<ScimSchemaExtensionBody>? SchemaExtensions);

public sealed record ScimSchemaExtensionBody(
    [property: JsonPropertyName("schema")] string? Schema,
    [property: JsonPropertyName("required")] bool Required);

/// <summary>One entry of /Schemas (RFC 7643 §7), reduced to the attribute names.</summary>
public sealed record ScimSchemaBody(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("attributes")] IReadOnlyList<ScimSchemaAttributeBody>? Attributes);

public sealed record ScimSchemaAttributeBody(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("mutability")] string? Mutability);

/// <summary>Source-generated serialization for everything the SCIM client sends and reads.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ScimListResponse))]
[JsonSerializable(typeof(ScimPatchRequest))]
[JsonSerializable(typeof(ScimServiceProviderConfigBody))]
[JsonSerializable(typeof(ScimResourceTypeBody))]
[JsonSerializable(typeof(ScimSchemaBody))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonArray))]
public sealed partial class ScimJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context used on the wire: as <see cref="Default"/>, but non-ASCII text and quotes are written as-is
    /// rather than as \u escapes (the bodies never end up in HTML), so filters and names read as sent.
    /// </summary>
    public static ScimJsonContext Wire { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
