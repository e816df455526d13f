using System.Text.Json;

namespace ScimSync.Core.Mapping;

/// <summary>One line of a mapping preview: a target path, the mapping that produced it and what it produced.</summary>
public sealed record MappingPreviewEntry(
    string Target,
    MappingKind Kind,
    string Source,
    MappingOutcome Outcome,
    JsonElement? Value,
    bool Redacted,
    bool Matching,
    string? Reason)
{
    /// <summary>The text to show for the value: <c>[Redact]</c> for redacted values, as Entra's logs show them.</summary>
    public string DisplayValue => Redacted ? "[Redact]" : Value is { } value ? value.GetRawText() : "(none)";
}
