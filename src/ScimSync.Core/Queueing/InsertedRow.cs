namespace ScimSync.Core.Queueing;

/// <summary>
/// The state row the cycle inserted for an upsert's object, which had none, and the ETag the insert returned: with it
/// the worker knows the row without reading it. What the row holds besides the item's own change is carried here, so
/// the worker rebuilds exactly the row the cycle wrote (<see cref="State.Objects.ObjectStateStore.NewRow"/>); a row
/// changed since then (another delivery claimed it, a newer cycle recorded a change) has another ETag, and the
/// worker's first write, guarded by this one, fails and makes it read the row after all.
/// </summary>
/// <param name="ETag">The ETag the row was inserted with.</param>
/// <param name="PendingSince">When the change was recorded.</param>
/// <param name="DueAt">When a later cycle may enqueue the change again.</param>
/// <param name="MembersPending">For a group: membership items were enqueued too.</param>
/// <param name="DisplayName">The object's name for the status page.</param>
public sealed record InsertedRow(string ETag, DateTimeOffset PendingSince, DateTimeOffset DueAt, bool MembersPending, string? DisplayName);
