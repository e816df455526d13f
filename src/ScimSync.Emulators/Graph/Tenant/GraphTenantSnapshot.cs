using System.Text.Json;

namespace ScimSync.Emulators.Graph.Tenant;

/// <summary>The tenant's state at one moment: every user and group (deleted ones included) and the assignments.</summary>
public sealed record GraphTenantSnapshot(
    long Sequence,
    IReadOnlyList<GraphObjectSnapshot> Users,
    IReadOnlyList<GraphObjectSnapshot> Groups,
    IReadOnlyList<AppRoleAssignmentSnapshot> Assignments)
{
    public IEnumerable<GraphObjectSnapshot> ActiveUsers => Users.Where(user => user.State == ObjectState.Active);

    public IEnumerable<GraphObjectSnapshot> ActiveGroups => Groups.Where(group => group.State == ObjectState.Active);
}

public sealed record GraphObjectSnapshot(
    string Id,
    ObjectType Type,
    ObjectState State,
    IReadOnlyDictionary<string, JsonElement> Properties,
    IReadOnlyList<string> MemberIds,
    string? ManagerId)
{
    public string? DisplayName =>
        Properties.TryGetValue("displayName", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

public sealed record AppRoleAssignmentSnapshot(string Id, string PrincipalId, ObjectType PrincipalType, Guid AppRoleId);
