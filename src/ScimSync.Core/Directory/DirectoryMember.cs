using ScimSync.Core.Identity;

namespace ScimSync.Core.Directory;

/// <summary>A member of a group: a user or a (nested) group.</summary>
public sealed record DirectoryMember(SourceId Id, ObjectKind Kind);
