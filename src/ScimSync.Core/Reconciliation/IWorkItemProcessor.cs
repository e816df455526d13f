using ScimSync.Core.Queueing;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Reconciles one work item against the job's SCIM target. Idempotent: a message delivered twice, or to two workers
/// at once, gives one result in the target. Hosts (the queue-triggered function, the CLI's in-process worker) call
/// this and act on the outcome; they never talk to the target themselves.
/// </summary>
public interface IWorkItemProcessor
{
    /// <summary>Reconciles the item once, as its last attempt: its provisioning log entry is written whatever the outcome.</summary>
    Task<WorkItemOutcome> ProcessAsync(WorkItem item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reconciles one attempt at the item. An attempt that ends in a failure <paramref name="chances"/> retries writes no
    /// log entry; its <see cref="WorkItemOutcome.Note"/> goes with the item's resend, and the final attempt's entry lists
    /// every earlier attempt as a step.
    /// </summary>
    Task<WorkItemOutcome> ProcessAsync(WorkItem item, RetryChances chances, CancellationToken cancellationToken = default);
}
