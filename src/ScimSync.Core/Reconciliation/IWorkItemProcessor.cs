using ScimSync.Core.Queueing;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Reconciles one work item against the job's SCIM target. Idempotent: a message delivered twice, or to two workers
/// at once, gives one result in the target. Hosts (the queue-triggered function, the CLI's in-process worker) call
/// this and act on the outcome; they never talk to the target themselves.
/// </summary>
public interface IWorkItemProcessor
{
    Task<WorkItemOutcome> ProcessAsync(WorkItem item, CancellationToken cancellationToken = default);
}
