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
/// <param name="NoRowYet">
/// The cycle's full read of the kind found no row for the object: the record inserts the row whole, and the insert's
/// ETag can travel with the object's work item. Had a row appeared meanwhile, the record merges into it instead.
/// </param>
public sealed record PendingRecord(
    ObjectKind Kind, SourceId SourceId, PendingChange? Change, bool MembersPending, DateTimeOffset DueAt, string? DisplayName, bool NoRowYet = false);
