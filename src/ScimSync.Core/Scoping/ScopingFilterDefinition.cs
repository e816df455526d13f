using ScimSync.Core.Directory;

namespace ScimSync.Core.Scoping;

/// <summary>
/// One scoping filter as written in the job file: its clauses must all hold (AND); an object is in scope when any
/// filter of its kind holds (OR). With no filter for a kind, every object of that kind passes.
/// </summary>
public sealed class ScopingFilterDefinition
{
    /// <summary>A name shown in explanations and logs; defaults to the filter's position.</summary>
    public string? Name { get; set; }

    /// <summary>The kind of object the filter applies to (default: users).</summary>
    public ObjectKind AppliesTo { get; set; } = ObjectKind.User;

    public List<ScopingClauseDefinition> Clauses { get; set; } = [];
}

/// <summary>One clause: <c>attribute</c> <c>operator</c> <c>value</c>, e.g. <c>department EQUALS Sales</c>.</summary>
public sealed class ScopingClauseDefinition
{
    /// <summary>The source attribute's Graph name (case-insensitive), e.g. <c>department</c>.</summary>
    public string Attribute { get; set; } = "";

    /// <summary>Entra's operator name: EQUALS, NOT EQUALS, IS TRUE, IS FALSE, IS NULL, IS NOT NULL, REGEX MATCH,
    /// NOT REGEX MATCH, Greater_Than, Greater_Than_OR_EQUALS, Includes, ENDS_WITH, &amp;, !&amp;.</summary>
    public string Operator { get; set; } = "";

    /// <summary>The value compared against; not used by IS TRUE, IS FALSE, IS NULL and IS NOT NULL.</summary>
    public string? Value { get; set; }
}
