namespace ScimSync.Core.Reconciliation;

/// <summary>The result of processing one work item.</summary>
/// <param name="Result">What the worker does with the message.</param>
/// <param name="Reason">A plain-words reason for anything but success (shown in logs and on the status page).</param>
/// <param name="RetryAfter">For <see cref="WorkItemResult.RetryLater"/>: when to make the message visible again.</param>
/// <param name="Note">For an attempt that is tried again: what it ended with, for the resend to carry.</param>
public sealed record WorkItemOutcome(WorkItemResult Result, string? Reason = null, TimeSpan? RetryAfter = null, Queueing.AttemptNote? Note = null)
{
    public static readonly WorkItemOutcome Success = new(WorkItemResult.Succeeded);
}
