using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Reconciliation;

namespace ScimSync.Core.Admin;

/// <summary>
/// A dry run of a job: the cycle reads and scopes without enqueuing or saving anything, and each item it would
/// enqueue is decided by reconciliation's own planner against the target, with reads only.
/// </summary>
public sealed class PlanService(JobCatalog catalog, SyncCycleRunner runner, IWorkItemPlanner planner)
{
    /// <summary>What a cycle of <paramref name="job"/> would do now.</summary>
    /// <exception cref="KeyNotFoundException">The job is not in the job file.</exception>
    public async Task<JobPlan> PlanAsync(JobId job, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        var report = await runner.RunAsync(job, new CycleOptions(DryRun: true), cancellationToken);
        var changes = new List<PlannedObjectChange>(report.PlannedItems.Count);
        foreach (var item in report.PlannedItems)
        {
            var change = await planner.PlanAsync(item, cancellationToken);
            changes.Add(new PlannedObjectChange(
                item.Kind, item.SourceId, item.Snapshot?.GetString("displayName"), item.Operation, change.Action, change.WouldWrite,
                change.Reason, change.ErrorCode, change.TargetId, change.ModifiedProperties, item.Id));
        }

        var held = report.StagedActions
            .Select(action => new PlannedObjectChange(
                action.Kind, action.SourceId, action.DisplayName, action.Operation, ProvisioningAction.StagedDelete, false,
                action.Reason, null, null, []))
            .ToList();
        return new JobPlan(job, report.Status, report.Message, report.FullRead, report.UsersRead, report.GroupsRead, changes, held);
    }
}
