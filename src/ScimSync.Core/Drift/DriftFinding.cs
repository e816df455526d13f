using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Drift;

/// <summary>How the target differs from what ScimSync applied to it.</summary>
public enum DriftKind
{
    /// <summary>An object ScimSync created or adopted is gone from the target.</summary>
    Missing,

    /// <summary>An object ScimSync keeps active is inactive in the target.</summary>
    Deactivated,

    /// <summary>An object ScimSync deactivated is active again in the target.</summary>
    Reactivated,

    /// <summary>Attributes differ from the values ScimSync last applied.</summary>
    AttributesDiffer,

    /// <summary>Members ScimSync added to a group are no longer in it.</summary>
    MembersMissing,

    /// <summary>Members ScimSync removed from a group (or never wanted there) are in it again.</summary>
    MembersExtra,

    /// <summary>An object in the target that ScimSync never created or adopted: reported, never changed.</summary>
    ForeignObject,

    /// <summary>Members of a managed group that ScimSync never managed there: reported, never changed.</summary>
    ForeignMembers,
}

/// <summary>One difference a drift scan found between the target and ScimSync's record of what it applied.</summary>
/// <param name="Kind">What differs.</param>
/// <param name="ObjectKind">User or group.</param>
/// <param name="SourceId">The Entra ID object, when ScimSync manages it.</param>
/// <param name="TargetId">The target's id of the object.</param>
/// <param name="DisplayName">The name an admin knows the object by.</param>
/// <param name="Description">What differs, in plain words.</param>
public sealed record DriftFinding(
    DriftKind Kind, ObjectKind ObjectKind, SourceId? SourceId, TargetId? TargetId, string? DisplayName, string Description)
{
    /// <summary>For <see cref="DriftKind.AttributesDiffer"/>, <see cref="DriftKind.Deactivated"/> and <see cref="DriftKind.Reactivated"/>: the paths that differ with the target's values (a path the target does not hold is absent).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ScimAttributes Observed { get; init; } = ScimAttributes.Empty;

    /// <summary>The paths that differ.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>For member findings: the managed members concerned, by source id.</summary>
    public IReadOnlyList<SourceId> Members { get; init; } = [];

    /// <summary>For <see cref="DriftKind.ForeignMembers"/>: the target ids of the members ScimSync never managed.</summary>
    public IReadOnlyList<TargetId> ForeignMemberIds { get; init; } = [];

    /// <summary>False for what ScimSync never touches (foreign objects and members) or cannot restore.</summary>
    public bool Repairable { get; init; } = true;
}
