using System.Text.Json.Serialization;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scoping;

/// <summary>One app role assignment on the job's service principal: a user or a group, and the role.</summary>
public sealed record AppRoleAssignment(
    SourceId PrincipalId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ObjectKind>))] ObjectKind PrincipalKind,
    Guid AppRoleId);
