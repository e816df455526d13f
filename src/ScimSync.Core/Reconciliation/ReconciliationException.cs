namespace ScimSync.Core.Reconciliation;

/// <summary>Ends the reconciliation of one object with a known, explained error.</summary>
internal sealed class ReconciliationException(ReconciliationError error) : Exception(error.Reason)
{
    public ReconciliationError Error { get; } = error;
}
