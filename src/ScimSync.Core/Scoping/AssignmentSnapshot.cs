using System.Text.Json.Serialization;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scoping;

/// <summary>
/// The app role assignments of a service principal as read in one cycle. Graph has no delta for assignments, so each
/// cycle reads them all and diffs against the snapshot stored by the previous cycle.
/// </summary>
public sealed record AssignmentSnapshot(IReadOnlyList<AppRoleAssignment> Assignments)
{
    private HashSet<SourceId>? _principals;

    public static AssignmentSnapshot Empty { get; } = new([]);

    /// <summary>True when the user or group holds at least one role on the app.</summary>
    public bool IsAssigned(SourceId principalId) =>
        (_principals ??= Assignments.Select(a => a.PrincipalId).ToHashSet()).Contains(principalId);

    /// <summary>The assigned groups.</summary>
    [JsonIgnore]
    public IEnumerable<SourceId> Groups => Assignments.Where(a => a.PrincipalKind == ObjectKind.Group).Select(a => a.PrincipalId).Distinct();

    /// <summary>Principals that gained their first role or lost their last role since <paramref name="previous"/>.</summary>
    public AssignmentDiff DiffFrom(AssignmentSnapshot previous)
    {
        var now = Principals(this);
        var before = Principals(previous);
        return new AssignmentDiff(
            now.Where(p => !before.ContainsKey(p.Key)).Select(p => new AssignedPrincipal(p.Key, p.Value)).ToList(),
            before.Where(p => !now.ContainsKey(p.Key)).Select(p => new AssignedPrincipal(p.Key, p.Value)).ToList());
    }

    private static Dictionary<SourceId, ObjectKind> Principals(AssignmentSnapshot snapshot)
    {
        var result = new Dictionary<SourceId, ObjectKind>();
        foreach (var assignment in snapshot.Assignments)
        {
            result[assignment.PrincipalId] = assignment.PrincipalKind;
        }
        return result;
    }
}

/// <summary>A user or group with at least one role on the app.</summary>
public sealed record AssignedPrincipal(SourceId Id, ObjectKind Kind);

/// <summary>Principals newly assigned and newly unassigned (a change of role alone does not change scope).</summary>
public sealed record AssignmentDiff(IReadOnlyList<AssignedPrincipal> Assigned, IReadOnlyList<AssignedPrincipal> Unassigned)
{
    [JsonIgnore]
    public bool IsEmpty => Assigned.Count == 0 && Unassigned.Count == 0;
}
