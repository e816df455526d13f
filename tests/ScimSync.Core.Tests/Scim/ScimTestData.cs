using System.Text.Json;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Tests.Scim;

internal static class ScimTestData
{
    /// <summary>Attributes from (path, JSON text) pairs, e.g. ("active", "true"), ("userName", "\"a@b.c\"").</summary>
    public static ScimAttributes Attributes(params (string Path, string Json)[] values) =>
        ScimAttributes.From(values.Select(v => new KeyValuePair<string, JsonElement>(v.Path, JsonDocument.Parse(v.Json).RootElement.Clone())));

    public static string Json(IReadOnlyList<ScimPatchOperation> operations) =>
        JsonSerializer.Serialize(ScimPatchRequest.Of(operations).Operations, ScimJsonContext.Wire.IReadOnlyListScimPatchOperation);

    public static string Json(ScimPatchRequest request) => JsonSerializer.Serialize(request, ScimJsonContext.Wire.ScimPatchRequest);
}
