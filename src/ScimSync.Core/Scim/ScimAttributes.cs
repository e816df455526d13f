using System.Collections.Immutable;
using System.Text.Json;

namespace ScimSync.Core.Scim;

/// <summary>
/// The attributes of a SCIM resource keyed by attribute path, with JSON values: the desired state that mapping
/// produces and the applied state that reconciliation records. Paths are SCIM attribute paths, case-insensitive:
/// <c>userName</c>, <c>name.givenName</c>, <c>emails[type eq "work"].value</c>, or a full extension path such as
/// <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department</c>.
/// </summary>
public sealed class ScimAttributes : IEquatable<ScimAttributes>
{
    public static readonly ScimAttributes Empty = new(ImmutableSortedDictionary.Create<string, JsonElement>(StringComparer.OrdinalIgnoreCase));

    private ScimAttributes(ImmutableSortedDictionary<string, JsonElement> values) => Values = values;

    public ImmutableSortedDictionary<string, JsonElement> Values { get; }

    public int Count => Values.Count;

    public JsonElement? this[string path] => Values.TryGetValue(path, out var value) ? value : null;

    public static ScimAttributes From(IEnumerable<KeyValuePair<string, JsonElement>> values) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, values));

    public ScimAttributes With(string path, JsonElement value) => new(Values.SetItem(path, value.Clone()));

    public ScimAttributes Without(string path) => new(Values.Remove(path));

    public bool Equals(ScimAttributes? other) =>
        other is not null
        && other.Values.Count == Values.Count
        && Values.All(pair => other.Values.TryGetValue(pair.Key, out var value) && JsonElement.DeepEquals(pair.Value, value));

    public override bool Equals(object? obj) => Equals(obj as ScimAttributes);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var key in Values.Keys)
        {
            hash.Add(key, StringComparer.OrdinalIgnoreCase);
        }

        return hash.ToHashCode();
    }
}
