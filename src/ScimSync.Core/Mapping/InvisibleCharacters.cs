using System.Buffers;
using System.Text.Json;

namespace ScimSync.Core.Mapping;

/// <summary>
/// Characters no SCIM target receives from ScimSync: control characters (U+0000 to U+001F, U+007F to U+009F) and the
/// Unicode bidirectional formatting characters, which can make one name read as another where the target shows it
/// (docs/decisions/005-invisible-characters.md). They are removed from every string value a mapping produces.
/// </summary>
internal static class InvisibleCharacters
{
    private static readonly SearchValues<char> Removed = SearchValues.Create(
        string.Concat(Enumerable.Range(0x00, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(code => (char)code))
        + "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    /// <summary>The value without those characters, or null when it has none (or is not a string).</summary>
    public static JsonElement? RemoveFrom(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString()!;
        if (text.AsSpan().IndexOfAny(Removed) < 0)
        {
            return null;
        }

        var kept = string.Concat(text.Where(c => !Removed.Contains(c)));
        return JsonSerializer.SerializeToElement(kept);
    }
}
