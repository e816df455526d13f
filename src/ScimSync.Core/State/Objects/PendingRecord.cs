using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Objects;

/// <summary>What the cycle records for one object before it enqueues the object's work.</summary>
/// <param name="Kind">The object's kind.</param>
/// <param name="SourceId">The object.</param>
/// <param name="Change">The change to apply; null when only the group's members are pending.</param>
/// <param name="MembersPending">For a group: membership items were enqueued.</param>
/// <param name="DueAt">When a later cycle may enqueue the work again if no worker has settled it by then.</param>
/// <param name="DisplayName">The object's name for the status page.</param>
public sealed record PendingRecord(ObjectKind Kind, SourceId SourceId, PendingChange? Change, bool MembersPending, DateTimeOffset DueAt, string? DisplayName);
