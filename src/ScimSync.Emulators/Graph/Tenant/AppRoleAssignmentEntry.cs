namespace ScimSync.Emulators.Graph.Tenant;

internal sealed record AppRoleAssignmentEntry(
    string Id,
    string PrincipalId,
    ObjectType PrincipalType,
    Guid AppRoleId,
    DateTimeOffset CreatedDateTime,
    long Ordinal);
