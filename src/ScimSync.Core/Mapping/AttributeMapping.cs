using System.Text.Json.Serialization;

namespace ScimSync.Core.Mapping;

/// <summary>
/// One attribute mapping of a job, as written in the job file: where the value comes from (a source attribute, an
/// expression or a constant) and the SCIM attribute path it goes to.
/// </summary>
// A misspelt field ("expresion") must fail loudly instead of silently dropping part of a mapping.
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AttributeMapping
{
    private readonly string _target = string.Empty;

    /// <summary>The SCIM attribute path written to, e.g. <c>name.givenName</c> or <c>emails[type eq "work"].value</c>.</summary>
    public string Target { get => _target; init => _target = value ?? string.Empty; }

    public MappingKind Kind { get; init; } = MappingKind.Direct;

    /// <summary>The source attribute of a direct mapping (a Graph attribute name such as <c>givenName</c>).</summary>
    public string? Source { get; init; }

    /// <summary>The expression of an expression mapping, e.g. <c>Coalesce([mail], [userPrincipalName])</c>.</summary>
    public string? Expression { get; init; }

    /// <summary>The text of a constant mapping.</summary>
    public string? Constant { get; init; }

    public MappingApply Apply { get; init; } = MappingApply.Always;

    /// <summary>Sent when the mapping yields null, on create only (as in Entra).</summary>
    public string? DefaultValue { get; init; }

    /// <summary>Whether the target is searched by this attribute to find an existing object.</summary>
    public bool Matching { get; init; }

    /// <summary>The order in which matching attributes are tried, 1 first.</summary>
    public int? MatchingPrecedence { get; init; }

    /// <summary>
    /// When the mapping yields null, clear the target attribute instead of leaving it alone. Off by default, because
    /// Entra never sends nulls and admins rely on that.
    /// </summary>
    public bool ClearWhenNull { get; init; }

    /// <summary>What the mapping reads, as shown in previews: the attribute, the expression or the quoted constant.</summary>
    [JsonIgnore]
    public string SourceText => Kind switch
    {
        MappingKind.Direct => Source ?? string.Empty,
        MappingKind.Expression => Expression ?? string.Empty,
        _ => "\"" + Constant + "\"",
    };

    public static AttributeMapping Direct(string source, string target) => new() { Kind = MappingKind.Direct, Source = source, Target = target };

    public static AttributeMapping FromExpression(string expression, string target) => new() { Kind = MappingKind.Expression, Expression = expression, Target = target };

    public static AttributeMapping FromConstant(string constant, string target) => new() { Kind = MappingKind.Constant, Constant = constant, Target = target };

    /// <summary>This mapping flagged as a matching attribute with the given precedence.</summary>
    public AttributeMapping AsMatching(int precedence) => this with { Matching = true, MatchingPrecedence = precedence };
}
