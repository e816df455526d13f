using System.Text.Json;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Logging;

/// <summary>An attribute a change set, with its old and new value (Graph <c>modifiedProperty</c>).</summary>
public sealed record ModifiedProperty(string DisplayName, string? OldValue, string? NewValue)
{
    /// <summary>Shown instead of the values of attributes whose mapping is wrapped in <c>Redact()</c>.</summary>
    public const string RedactedValue = "[redacted]";

    /// <summary>A modified property whose values are hidden when <paramref name="redacted"/> is true.</summary>
    public static ModifiedProperty Create(string name, string? oldValue, string? newValue, bool redacted) =>
        redacted
            ? new ModifiedProperty(name, oldValue is null ? null : RedactedValue, newValue is null ? null : RedactedValue)
            : new ModifiedProperty(name, oldValue, newValue);

    /// <summary>
    /// The properties that differ between the applied and the desired attributes, by path in path order; values are
    /// JSON text (strings unquoted), and hidden for paths in <paramref name="redactedPaths"/> (case-insensitive).
    /// </summary>
    public static IReadOnlyList<ModifiedProperty> Between(ScimAttributes before, ScimAttributes after, IEnumerable<string>? redactedPaths = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var redacted = new HashSet<string>(redactedPaths ?? [], StringComparer.OrdinalIgnoreCase);
        return before.Values.Keys.Union(after.Values.Keys, StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(path => (Path: path, Old: before[path], New: after[path]))
            .Where(change => !(change.Old is { } o && change.New is { } n && JsonElement.DeepEquals(o, n)))
            .Select(change => Create(change.Path, Text(change.Old), Text(change.New), redacted.Contains(change.Path)))
            .ToList();
    }

    private static string? Text(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
    };
}
