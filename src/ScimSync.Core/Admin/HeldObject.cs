using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Admin;

/// <summary>An object held back from the target: a deprovision the deletion guard staged, or an object in escrow.</summary>
/// <param name="Kind">User or group.</param>
/// <param name="SourceId">The Entra object id.</param>
/// <param name="DisplayName">The object's name, when known.</param>
/// <param name="What">The held operation (Deprovision, Delete) or the error code that keeps it back.</param>
/// <param name="Reason">Why, in plain words, with what to do when there is something to do.</param>
/// <param name="Since">When it was held or last failed.</param>
/// <param name="NextRetryAt">When it is tried again, for an object in escrow.</param>
public sealed record HeldObject(
    ObjectKind Kind, SourceId SourceId, string? DisplayName, string What, string Reason, DateTimeOffset? Since, DateTimeOffset? NextRetryAt = null);
