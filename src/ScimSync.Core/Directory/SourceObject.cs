using System.Text.Json;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Directory;

/// <summary>
/// A user or group as read from the directory: its Graph attributes by name (case-insensitive), as JSON values.
/// Computed attributes such as <c>IsSoftDeleted</c> are added by scoping before mapping.
/// </summary>
public sealed record SourceObject(SourceId Id, ObjectKind Kind, IReadOnlyDictionary<string, JsonElement> Attributes)
{
    public static SourceObject Create(SourceId id, ObjectKind kind, IEnumerable<KeyValuePair<string, JsonElement>> attributes) =>
        new(id, kind, new Dictionary<string, JsonElement>(attributes, StringComparer.OrdinalIgnoreCase));

    /// <summary>The attribute's value, or null when it is absent or JSON null.</summary>
    public JsonElement? Get(string name) =>
        Attributes.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? GetString(string name) => Get(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public SourceObject With(string name, JsonElement value)
    {
        var attributes = new Dictionary<string, JsonElement>(Attributes, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return this with { Attributes = attributes };
    }
}
