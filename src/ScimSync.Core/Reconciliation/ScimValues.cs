using System.Text.Json;

namespace ScimSync.Core.Reconciliation;

/// <summary>JSON values and texts the reconciliation writes itself.</summary>
internal static class ScimValues
{
    public static readonly JsonElement False = JsonDocument.Parse("false").RootElement.Clone();

    public static readonly JsonElement True = JsonDocument.Parse("true").RootElement.Clone();

    /// <summary>A value as the log shows it: strings unquoted, everything else as JSON.</summary>
    public static string Text(JsonElement? value) => value switch
    {
        null => "nothing",
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { } other => other.GetRawText(),
    };

    /// <summary>Up to <paramref name="max"/> items and how many more there are.</summary>
    public static string List(IReadOnlyCollection<string> items, int max = 20) =>
        items.Count <= max ? string.Join(", ", items) : $"{string.Join(", ", items.Take(max))} and {items.Count - max} more";
}
