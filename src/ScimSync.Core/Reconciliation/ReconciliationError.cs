using ScimSync.Core.Logging;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Why an object could not be reconciled, in the words an admin reads in the provisioning log: an Entra-style error
/// code, what happened, what to do about it, and what the worker does with the message.
/// </summary>
/// <param name="Result">What the worker does with the message (never <see cref="WorkItemResult.Succeeded"/>).</param>
/// <param name="ErrorCode">Entra's code where one applies, e.g. <c>DuplicateTargetEntries</c> or <c>TooManyRequests</c>.</param>
/// <param name="Reason">What happened, in plain words.</param>
/// <param name="RecommendedAction">What an admin can do about it, when anything.</param>
/// <param name="AdditionalDetails">The target's own words and trace id, when it gave any.</param>
/// <param name="RetryAfter">For <see cref="WorkItemResult.RetryLater"/>: the delay the target asked for.</param>
public sealed record ReconciliationError(
    WorkItemResult Result,
    string ErrorCode,
    string Reason,
    string? RecommendedAction = null,
    string? AdditionalDetails = null,
    TimeSpan? RetryAfter = null)
{
    /// <summary>True when the object goes into escrow: a failure that needs fixing, retried in later cycles.</summary>
    public bool Escrows => Result == WorkItemResult.Failed;

    /// <summary>The outcome handed to the worker.</summary>
    public WorkItemOutcome ToOutcome() => new(Result, Reason, RetryAfter);

    /// <summary>The error as the provisioning log records it.</summary>
    public ProvisioningErrorInfo ToLogError() => new(
        ErrorCode, Reason, RecommendedAction, AdditionalDetails,
        Result is WorkItemResult.RetryLater or WorkItemResult.Unauthorized or WorkItemResult.TargetUnavailable ? ProvisioningErrorCategory.NonServiceFailure : ProvisioningErrorCategory.Failure);
}
