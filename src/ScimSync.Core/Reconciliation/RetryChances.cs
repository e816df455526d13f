namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Whether an attempt at a work item is tried again if it fails: then the attempt writes no provisioning log entry of
/// its own, and the item's final outcome records it as a step.
/// </summary>
/// <param name="FailureMayRetry">A failure of the object itself (<see cref="WorkItemResult.RetryLater"/>) is sent again.</param>
/// <param name="WaitMayResend">A throttled or unavailable target (<see cref="WorkItemResult.TargetUnavailable"/>) is waited for.</param>
public sealed record RetryChances(bool FailureMayRetry, bool WaitMayResend)
{
    /// <summary>The attempt is the last: whatever it ends with is its final outcome.</summary>
    public static readonly RetryChances None = new(false, false);

    /// <summary>True when an attempt that ended with <paramref name="result"/> is not the item's final outcome.</summary>
    public bool Retries(WorkItemResult result) =>
        (result == WorkItemResult.RetryLater && FailureMayRetry) || (result == WorkItemResult.TargetUnavailable && WaitMayResend);
}
