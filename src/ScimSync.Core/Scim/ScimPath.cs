using System.Text.Json;
using System.Text.RegularExpressions;

namespace ScimSync.Core.Scim;

/// <summary>
/// A parsed SCIM attribute path (RFC 7644 §3.10): an optional schema URN, the attribute, an optional value filter
/// (<c>[type eq "work"]</c>) and an optional sub-attribute. Examples: <c>userName</c>, <c>name.givenName</c>,
/// <c>emails[type eq "work"].value</c>, <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department</c>.
/// </summary>
public sealed partial record ScimPath(string? Schema, string Attribute, string? FilterAttribute, string? FilterValue, string? SubAttribute)
{
    /// <summary>True when the path selects one element of a multi-valued attribute by a value filter.</summary>
    public bool HasFilter => FilterAttribute is not null;

    public static ScimPath Parse(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? schema = null;
        var rest = path;
        if (ScimSchemas.IsUrnPath(path))
        {
            var bracket = path.IndexOf('[', StringComparison.Ordinal);
            var colon = path.LastIndexOf(':', bracket < 0 ? path.Length - 1 : bracket);
            if (colon <= 0 || colon == path.Length - 1)
            {
                throw new FormatException($"The SCIM attribute path '{path}' names a schema but no attribute after it.");
            }

            schema = path[..colon];
            rest = path[(colon + 1)..];
        }

        var match = PathPattern().Match(rest);
        if (!match.Success)
        {
            throw new FormatException(
                $"'{path}' is not a SCIM attribute path this client supports: use attribute, attribute.subAttribute, " +
                "attribute[type eq \"value\"].subAttribute or a schema URN followed by one of those.");
        }

        string? filterValue = null;
        if (match.Groups["fvalue"].Success)
        {
            filterValue = JsonSerializer.Deserialize(match.Groups["fvalue"].Value, ScimJsonContext.Wire.JsonElement).GetString();
        }

        return new ScimPath(
            schema,
            match.Groups["attr"].Value,
            match.Groups["fattr"].Success ? match.Groups["fattr"].Value : null,
            filterValue,
            match.Groups["sub"].Success ? match.Groups["sub"].Value : null);
    }

    /// <summary>The path as SCIM spells it.</summary>
    public override string ToString()
    {
        var text = Attribute;
        if (FilterAttribute is not null)
        {
            text += $"[{FilterAttribute} eq \"{ScimFilter.Escape(FilterValue ?? string.Empty)}\"]";
        }

        if (SubAttribute is not null)
        {
            text += "." + SubAttribute;
        }

        return Schema is null ? text : $"{Schema}:{text}";
    }

    [GeneratedRegex("""^(?<attr>[A-Za-z$][\w$-]*)(\[\s*(?<fattr>[A-Za-z][\w-]*)\s+eq\s+(?<fvalue>"(?:[^"\\]|\\.)*")\s*\])?(\.(?<sub>[A-Za-z$][\w$-]*))?$""", RegexOptions.IgnoreCase)]
    private static partial Regex PathPattern();
}
