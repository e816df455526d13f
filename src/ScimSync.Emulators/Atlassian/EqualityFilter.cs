using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// The one filter form Atlassian supports: <c>attributePath eq value</c> (atlassian-scim-api.md §3). Also used for
/// the value filters inside PATCH paths, e.g. <c>emails[type eq "work"]</c>.
/// </summary>
/// <param name="AttributePath">The attribute as written, e.g. <c>userName</c> or <c>urn:…:User:userName</c>.</param>
/// <param name="Value">The comparison value: a JSON string, boolean, number or null.</param>
internal sealed record EqualityFilter(string AttributePath, JsonValue? Value)
{
    public string? StringValue => Value is not null && Value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// Parses <c>attrPath SP "eq" SP compValue</c> (RFC 7644 §3.4.2.2). The value is a JSON literal, so escaped quotes,
    /// backslashes and \u escapes are decoded exactly as JSON defines them. Anything else (other operators, and/or,
    /// value paths such as <c>emails[type eq "work"].value eq "x"</c>) is refused with 400 invalidFilter.
    /// </summary>
    public static EqualityFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ScimException.InvalidFilter("The filter is empty. Supported: attribute eq \"value\".");
        }

        var i = SkipSpaces(text, 0);
        var start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or ':' or '_' or '-' or '$'))
        {
            i++;
        }

        var attribute = text[start..i];
        if (attribute.Length == 0 || !char.IsAsciiLetter(attribute[0]) || i >= text.Length || text[i] != ' ')
        {
            throw Unsupported(text);
        }

        i = SkipSpaces(text, i);
        if (i + 2 > text.Length || !text.AsSpan(i, 2).Equals("eq", StringComparison.OrdinalIgnoreCase)
            || i + 2 >= text.Length || text[i + 2] != ' ')
        {
            throw Unsupported(text);
        }

        i = SkipSpaces(text, i + 2);
        var literalStart = i;
        if (i < text.Length && text[i] == '"')
        {
            i++;
            while (i < text.Length && text[i] != '"')
            {
                i += text[i] == '\\' ? 2 : 1;
            }

            if (i >= text.Length)
            {
                throw ScimException.InvalidFilter($"The filter '{text}' has an unterminated string value.");
            }

            i++;
        }
        else
        {
            while (i < text.Length && text[i] != ' ')
            {
                i++;
            }
        }

        var literal = text[literalStart..i];
        if (SkipSpaces(text, i) != text.Length || literal.Length == 0)
        {
            throw Unsupported(text);
        }

        return new EqualityFilter(attribute, ParseLiteral(literal, text));
    }

    private static JsonValue? ParseLiteral(string literal, string filter)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(literal));
            if (!reader.Read())
            {
                throw Unsupported(filter);
            }

            JsonValue? value = reader.TokenType switch
            {
                JsonTokenType.String => JsonValue.Create(reader.GetString()),
                JsonTokenType.True => JsonValue.Create(true),
                JsonTokenType.False => JsonValue.Create(false),
                JsonTokenType.Number => JsonValue.Create(reader.GetDecimal()),
                JsonTokenType.Null => null,
                _ => throw Unsupported(filter),
            };
            return reader.Read() ? throw Unsupported(filter) : value;
        }
        catch (JsonException)
        {
            throw ScimException.InvalidFilter($"The filter value {literal} is not a valid JSON string, boolean, number or null.");
        }
        catch (FormatException)
        {
            throw ScimException.InvalidFilter($"The filter value {literal} is not a valid number.");
        }
    }

    private static int SkipSpaces(string text, int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        return i;
    }

    private static ScimException Unsupported(string filter) =>
        ScimException.InvalidFilter($"Unsupported filter '{filter}'. Only a single 'attribute eq \"value\"' comparison is supported.");
}
