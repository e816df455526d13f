using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;
using ScimSync.Core.State.Staging;

namespace ScimSync.Core.Cycle;

/// <summary>
/// Checks held deprovisions against the directory as it is now, so that an object whose assignment (or group, or
/// attributes) was restored after the hold is never deactivated by a later approval, and a hold whose cause is gone
/// clears by itself.
/// </summary>
public sealed class StagedDeprovisionReview(JobDirectoryClients directories, SourceMembershipStore sourceMemberships, StagedActionStore staged)
{
    /// <summary>The actions whose objects are still gone from the directory or out of the job's scope.</summary>
    public async Task<IReadOnlyList<StagedAction>> StillWantedAsync(ProvisioningJob job, IReadOnlyList<StagedAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            return actions;
        }

        var inScope = await InScopeAsync(job, actions, cancellationToken);
        return actions.Where(action => !inScope.Contains(action.SourceId)).ToList();
    }

    /// <summary>Drops the held deprovisions whose objects are back in scope; returns how many stay held.</summary>
    public async Task<int> DropRestoredAsync(ProvisioningJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var held = await staged.ListAsync(job.Id, cancellationToken).ToListAsync(cancellationToken);
        var inScope = await InScopeAsync(job, held.Select(action => action.Value).ToList(), cancellationToken);
        var restored = held.Where(action => inScope.Contains(action.Value.SourceId)).ToList();
        await staged.DropAsync(job.Id, restored, cancellationToken);
        return held.Count - restored.Count;
    }

    private async Task<HashSet<SourceId>> InScopeAsync(ProvisioningJob job, IReadOnlyList<StagedAction> actions, CancellationToken cancellationToken)
    {
        var inScope = new HashSet<SourceId>();
        if (actions.Count == 0)
        {
            return inScope;
        }

        var directory = directories.For(job);
        var scope = job.Definition.Scope;
        var assignments = scope.Mode == ScopeMode.Assigned
            ? await directory.Assignments.ReadAsync(scope.ServicePrincipalId!, cancellationToken)
            : AssignmentSnapshot.Empty;
        var graph = SourceMembershipStore.ToGraph((await sourceMemberships.LoadAsync(job.Id, cancellationToken)).Edges);
        var evaluator = new ScopeEvaluator(scope, graph, $"{job.SettingPath}.scope");
        foreach (var kind in actions.Select(action => action.Kind).Distinct())
        {
            var ids = actions.Where(action => action.Kind == kind).Select(action => action.SourceId);
            await foreach (var source in directory.Directory.GetObjectsAsync(kind, ids, CyclePlanner.Attributes(job, kind), cancellationToken))
            {
                if ((await evaluator.EvaluateAsync(source, assignments, cancellationToken)).Action == ScopeAction.Upsert)
                {
                    inScope.Add(source.Id);
                }
            }
        }

        return inScope;
    }
}
