using ScimSync.Core.Queueing;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Says what processing a work item would do, without doing it: the CLI's <c>plan</c> command. It may read the
/// target (match lookups) and the state, but never writes to either.
/// </summary>
public interface IWorkItemPlanner
{
    Task<PlannedChange> PlanAsync(WorkItem item, CancellationToken cancellationToken = default);
}
