using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Memberships;

/// <summary>
/// One member of one group: whether the source wants the member in the group (desired, written by the cycle) and
/// whether the target has it (applied, written by the worker after a successful PATCH).
/// </summary>
public sealed record MembershipEdge(
    JobId Job, SourceId Group, SourceId Member, ObjectKind MemberKind, bool Desired, bool Applied)
{
    /// <summary>True when the target differs from what the source wants.</summary>
    public bool IsPending => Desired != Applied;
}

/// <summary>The desired state of one edge, as the cycle computed it.</summary>
public readonly record struct DesiredEdge(SourceId Member, ObjectKind MemberKind, bool Desired);

/// <summary>The applied state of one edge, as the worker observed it after writing to the target.</summary>
public sealed record AppliedEdge(SourceId Member, ObjectKind MemberKind, bool Applied);
