namespace ScimSync.Core.Reconciliation;

/// <summary>
/// The object's state row changed since it was read (another worker saved it): the work is read again and decided
/// anew, which is safe because every step is idempotent against the target.
/// </summary>
internal sealed class StateConflictException(string what) : Exception($"The state of {what} changed while it was being reconciled.");
