using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scoping;

/// <summary>
/// Scoping's verdict on one object, with the evidence for provisioning logs and plan output.
/// </summary>
/// <param name="Source">The source object with the computed <c>IsSoftDeleted</c> attribute, ready for mapping; null for removals.</param>
/// <param name="Filters">The scoping filter evaluation, when filters ran.</param>
/// <param name="Explanation">One sentence: which assignment or group, which filter and clause, what value.</param>
public sealed record ScopeDecision(
    SourceId Id,
    ObjectKind Kind,
    ScopeAction Action,
    ScopeReason Reason,
    string Explanation,
    SourceObject? Source = null,
    ScopingFilterDecision? Filters = null)
{
    /// <summary>Entra's computed attribute name.</summary>
    public const string IsSoftDeletedAttribute = "IsSoftDeleted";

    /// <summary>Entra's <c>IsSoftDeleted</c>: true unless the object is to be provisioned as active.</summary>
    public bool IsSoftDeleted => Action != ScopeAction.Upsert;
}
