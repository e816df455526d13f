using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Mapping;

/// <summary>
/// The SCIM attributes one source object maps to. A JSON null value in <see cref="Attributes"/> is an explicit
/// clear (a mapping with <c>clearWhenNull</c>); attributes that are simply not sent are absent.
/// </summary>
public sealed record MappingResult(
    SourceId SourceId,
    ObjectKind Kind,
    ScimAttributes Attributes,
    IReadOnlyList<MatchingValue> Matching,
    IReadOnlySet<string> RedactedPaths,
    IReadOnlyList<MappingFailure> Failures)
{
    /// <summary>The paths whose value had control or bidirectional formatting characters, removed before sending.</summary>
    public IReadOnlySet<string> InvisibleCharactersRemoved { get; init; } = new HashSet<string>();

    /// <summary>True when every mapping evaluated; otherwise the object must not be provisioned this time.</summary>
    public bool Succeeded => Failures.Count == 0;

    /// <summary>The object has no value for any matching attribute, so it cannot be matched (Entra skips it).</summary>
    public bool HasMatchingValue => Matching.Count > 0;

    /// <summary>The paths a mapping asks to clear.</summary>
    public IEnumerable<string> ClearedPaths =>
        Attributes.Values.Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Null).Select(p => p.Key);

    /// <summary>Every failure in one readable line, or null when mapping succeeded.</summary>
    public string? FailureReason => Succeeded ? null : string.Join("; ", Failures);
}
