using ScimSync.Core.Identity;

namespace ScimSync.Core.Directory;

/// <summary>One change read from the directory.</summary>
public abstract record DirectoryChange;

/// <summary>
/// A user or group was created, changed or restored. The object carries every selected attribute: when Graph sends an
/// updated object with only some of them, the reader reads the object by id before it emits the change.
/// </summary>
public sealed record ObjectUpserted(SourceObject Source) : DirectoryChange;

/// <summary>The object was soft-deleted (Graph <c>@removed.reason = changed</c>): restorable for 30 days.</summary>
public sealed record ObjectSoftDeleted(SourceId Id, ObjectKind Kind) : DirectoryChange;

/// <summary>The object was permanently deleted (Graph <c>@removed.reason = deleted</c>).</summary>
public sealed record ObjectHardDeleted(SourceId Id, ObjectKind Kind) : DirectoryChange;

/// <summary>The member became a direct member of the group.</summary>
public sealed record MembershipAdded(SourceId GroupId, SourceId MemberId, ObjectKind MemberKind) : DirectoryChange;

/// <summary>The member stopped being a direct member of the group (or the member object was deleted).</summary>
public sealed record MembershipRemoved(SourceId GroupId, SourceId MemberId, ObjectKind MemberKind) : DirectoryChange;
