using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;

namespace ScimSync.Core.Worker;

/// <summary>How the worker disposed of one message.</summary>
public enum WorkerDisposition
{
    /// <summary>Processed and removed from the queue (succeeded, skipped or failed for good).</summary>
    Completed,

    /// <summary>Put back to be retried later (transient failure, or the job's credentials were refused).</summary>
    Released,

    /// <summary>Unreadable or delivered too often: recorded as poison and removed.</summary>
    DeadLettered,
}

/// <summary>One message the worker handled, for a live progress display.</summary>
/// <param name="Job">The item's job, when the message was readable.</param>
/// <param name="Item">The work item, when the message was readable.</param>
/// <param name="Result">The processor's result, when it ran.</param>
/// <param name="Disposition">What happened to the message.</param>
/// <param name="Reason">Why, for anything but success.</param>
/// <param name="Totals">Running totals of this drain.</param>
public sealed record WorkerProgressUpdate(
    JobId? Job, WorkItem? Item, WorkItemResult? Result, WorkerDisposition Disposition, string? Reason, WorkerTotals Totals);

/// <summary>Running totals of one <see cref="QueueWorker.DrainAsync"/> call.</summary>
public sealed record WorkerTotals(int Succeeded, int Skipped, int Failed, int RetryLater, int Unauthorized, int DeadLettered)
{
    public int Handled => Succeeded + Skipped + Failed + RetryLater + Unauthorized + DeadLettered;
}
