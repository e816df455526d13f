using System.Globalization;
using System.Text.Json;

namespace ScimSync.Emulators.Graph.Tenant;

/// <summary>Turns the plain .NET values tests and the admin API pass into the JSON values the emulator stores.</summary>
public static class GraphValue
{
    /// <summary>
    /// Accepts null, string, bool, integers, <see cref="DateTimeOffset"/>, a sequence of strings, or a
    /// <see cref="JsonElement"/>; anything else is a programming error and is rejected with the type named.
    /// </summary>
    public static JsonElement? From(object? value) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement element => element.Clone(),
        string text => JsonSerializer.SerializeToElement(text, GraphJsonContext.Default.String),
        bool flag => JsonSerializer.SerializeToElement(flag, GraphJsonContext.Default.Boolean),
        int number => JsonSerializer.SerializeToElement((long)number, GraphJsonContext.Default.Int64),
        long number => JsonSerializer.SerializeToElement(number, GraphJsonContext.Default.Int64),
        DateTimeOffset time => JsonSerializer.SerializeToElement(Timestamp(time), GraphJsonContext.Default.String),
        IEnumerable<string> texts => JsonSerializer.SerializeToElement(texts.ToList(), GraphJsonContext.Default.ListString),
        _ => throw new ArgumentException(
            $"A Graph property value must be a string, bool, integer, DateTimeOffset, string sequence or JsonElement, not {value.GetType().Name}.",
            nameof(value)),
    };

    /// <summary>Graph's timestamp format: UTC, second precision, with a Z.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
