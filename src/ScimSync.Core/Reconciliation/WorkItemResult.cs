namespace ScimSync.Core.Reconciliation;

/// <summary>How processing one work item ended, which decides what the queue worker does with its message.</summary>
public enum WorkItemResult
{
    /// <summary>Applied to the target, or nothing needed doing: complete the message.</summary>
    Succeeded,

    /// <summary>Deliberately not applied (unchanged, out of scope, not ours, profile refused): complete the message.</summary>
    Skipped,

    /// <summary>Failed for a reason that needs fixing; the object is escrowed for later cycles: complete the message.</summary>
    Failed,

    /// <summary>A transient failure (429, 5xx, timeout, a dependency not yet provisioned): release the message to retry later.</summary>
    RetryLater,

    /// <summary>The target refused the credentials (401/403): quarantine the job at once and release the message.</summary>
    Unauthorized,

    /// <summary>
    /// The target cannot take requests right now (throttled, unavailable, circuit open): a job-level wait that proves
    /// nothing about the object, so it is retried later without counting an attempt against the object.
    /// </summary>
    TargetUnavailable,
}
