using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace ScimSync.Core.Mapping;

/// <summary>
/// A SCIM attribute path a mapping writes to: <c>userName</c>, <c>name.givenName</c>,
/// <c>emails[type eq "work"].value</c>, or an extension attribute by its full URN such as
/// <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department</c>.
/// </summary>
public sealed partial record TargetPath
{
    private static readonly FrozenSet<string> SingleValuedCoreAttributes = new[]
    {
        "userName", "externalId", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage",
        "locale", "timezone", "active", "password", "department", "organization", "name",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private TargetPath(string text, string? schema, string attribute, string? filterAttribute, string? filterValue, string? subAttribute)
    {
        Text = text;
        Schema = schema;
        Attribute = attribute;
        FilterAttribute = filterAttribute;
        FilterValue = filterValue;
        SubAttribute = subAttribute;
    }

    /// <summary>The path as written (trimmed); it is also the key in <see cref="Scim.ScimAttributes"/>.</summary>
    public string Text { get; }

    /// <summary>The extension schema URN, or null for a core attribute.</summary>
    public string? Schema { get; }

    public string Attribute { get; }

    /// <summary>The attribute of a value filter, e.g. <c>type</c> in <c>emails[type eq "work"].value</c>.</summary>
    public string? FilterAttribute { get; }

    public string? FilterValue { get; }

    public string? SubAttribute { get; }

    /// <summary>True for a path whose target holds one value, so a multi-valued result cannot go there.</summary>
    // Extension attributes may be multi-valued, so only core paths are checked.
    public bool IsSingleValued => FilterAttribute is not null || SubAttribute is not null
        || (Schema is null && SingleValuedCoreAttributes.Contains(Attribute));

    /// <summary>True for a Boolean SCIM attribute (<c>active</c>, <c>…primary</c>): text "True"/"False" is sent as a JSON Boolean.</summary>
    public bool IsBoolean =>
        (Schema is null && SubAttribute is null && FilterAttribute is null && string.Equals(Attribute, "active", StringComparison.OrdinalIgnoreCase))
        || string.Equals(SubAttribute, "primary", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the group <c>members</c> attribute, which is reconciled from membership, not mapped.</summary>
    public bool IsMembers => Schema is null && FilterAttribute is null && SubAttribute is null
        && string.Equals(Attribute, "members", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a target path, or says what is wrong with it.</summary>
    public static bool TryParse(string? text, out TargetPath? path, out string? problem)
    {
        path = null;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            problem = "the target path is empty";
            return false;
        }

        var match = PathPattern().Match(trimmed);
        if (!match.Success)
        {
            problem = trimmed.Contains('[', StringComparison.Ordinal)
                ? $"'{trimmed}' is not a valid SCIM attribute path; a value filter reads attribute[type eq \"work\"].subAttribute"
                : $"'{trimmed}' is not a valid SCIM attribute path; write e.g. userName, name.givenName, emails[type eq \"work\"].value or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";
            return false;
        }

        if (match.Groups["fattr"].Success && !match.Groups["sub"].Success)
        {
            problem = $"'{trimmed}' filters a multi-valued attribute but names no sub-attribute; write e.g. {match.Groups["attr"].Value}[{match.Groups["fattr"].Value} eq \"{match.Groups["fval"].Value}\"].value";
            return false;
        }

        path = new TargetPath(
            trimmed,
            match.Groups["urn"].Success ? match.Groups["urn"].Value : null,
            match.Groups["attr"].Value,
            match.Groups["fattr"].Success ? match.Groups["fattr"].Value : null,
            match.Groups["fval"].Success ? match.Groups["fval"].Value : null,
            match.Groups["sub"].Success ? match.Groups["sub"].Value : null);
        problem = null;
        return true;
    }

    /// <summary>Parses a target path.</summary>
    /// <exception cref="FormatException">The text is not a valid target path.</exception>
    public static TargetPath Parse(string text) =>
        TryParse(text, out var path, out var problem) ? path! : throw new FormatException(problem);

    public override string ToString() => Text;

    [GeneratedRegex("""^(?:(?<urn>urn:[A-Za-z0-9][A-Za-z0-9.:_\-]*):)?(?<attr>[A-Za-z][A-Za-z0-9_\-]*)(?:\[\s*(?<fattr>[A-Za-z][A-Za-z0-9_\-]*)\s+[eE][qQ]\s+"(?<fval>[^"\\]*)"\s*\])?(?:\.(?<sub>[A-Za-z][A-Za-z0-9_\-]*))?$""")]
    private static partial Regex PathPattern();
}
