using System.Text.Json;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Deprovisions one object: disables it (<c>active=false</c>), or deletes it when the source deleted it for good and
/// the job's policy asks for that. Only objects ScimSync created or adopted are ever touched.
/// </summary>
internal sealed class ObjectDeprovisioner(ObjectStateStore objects, TargetIdSnapshots snapshots)
{
    public async Task<WorkItemResult> DeprovisionAsync(ReconciliationContext context, CancellationToken cancellationToken)
    {
        var (job, item, client, record) = context;
        record.SourceDisplayName = ReconciliationContext.NameOf(item);
        record.Action = client.Profile.DeprovisionActionFor(DeprovisionDecision.DeleteRequested(job, item)) == ScimDeprovisionAction.Delete
            ? ProvisioningAction.Delete
            : ProvisioningAction.Disable;
        record.Step(ProvisioningStepType.Import, ProvisioningStatus.Success, "EntryImport",
            item.Operation == WorkOperation.Delete
                ? $"{context.Describe()} was permanently deleted in Microsoft Entra ID."
                : $"{context.Describe()} left the job's scope, or was disabled or deleted in Microsoft Entra ID.",
            new Dictionary<string, string> { ["SourceId"] = item.SourceId.Value, ["CycleId"] = item.CycleId });

        var current = await objects.GetAsync(job.Id, item.Kind, item.SourceId, cancellationToken).ConfigureAwait(false);
        record.Row = current;
        var state = current?.Value;
        record.TargetId = state?.TargetId;
        var decision = DeprovisionDecision.Decide(job, client.Profile, item, state, context.Describe());
        if (decision is DeprovisionDecision.NotSent notSent)
        {
            record.Skipped(notSent.Step, notSent.Code, notSent.Reason);
            return WorkItemResult.Skipped;
        }

        var targetId = state!.TargetId!.Value;
        record.Step(ProvisioningStepType.Matching, ProvisioningStatus.Success, "EntryMatching",
            $"{context.Describe()} is {item.Kind} {targetId} in the target ({(state.MatchedBy == "created" ? "created" : "adopted")} by ScimSync).");

        if (decision is DeprovisionDecision.Delete)
        {
            try
            {
                await client.DeleteAsync(item.Kind, targetId, cancellationToken).ConfigureAwait(false);
                record.Step(ProvisioningStepType.Export, ProvisioningStatus.Success, "EntryExportDelete",
                    client.Profile.DeleteIsIrreversible
                        ? $"Deleted {item.Kind} {targetId}. {client.Profile.Name} cannot undo this: the SCIM record is gone for good, and provisioning the object again creates a new one."
                        : $"Deleted {item.Kind} {targetId}.");
            }
            catch (ScimException error) when (error.Classification == ScimErrorClassification.NotFound)
            {
                record.Warn(ProvisioningStepType.Export, "ObjectVanished",
                    $"{item.Kind} {targetId} was already gone from the target; nothing was deleted.");
            }

            await SaveAsync(context, current!, Unlinked(state), cancellationToken).ConfigureAwait(false);
            snapshots.Forget(job.Id, item.Kind);
            return WorkItemResult.Succeeded;
        }

        ScimResource? returned;
        try
        {
            returned = await client.SetActiveAsync(targetId, active: false, cancellationToken).ConfigureAwait(false);
        }
        catch (ScimException error) when (error.Classification == ScimErrorClassification.NotFound)
        {
            record.Warn(ProvisioningStepType.Export, "ObjectVanished",
                $"User {targetId} no longer exists in the target (deleted there, outside ScimSync); there is nothing left to disable.");
            await SaveAsync(context, current!, Unlinked(state), cancellationToken).ConfigureAwait(false);
            snapshots.Forget(job.Id, item.Kind);
            return WorkItemResult.Succeeded;
        }

        var applied = state.LastApplied.With("active", ScimValues.False);
        if (returned?.Attributes["active"] is { } active && active.ValueKind != JsonValueKind.False)
        {
            record.NotKept(ProvisioningStepType.Export,
                $"The target accepted the disable of User {targetId} but returned active = {ScimValues.Text(active)}. It is not recorded as disabled, so it is tried again.");
            return WorkItemResult.Succeeded;
        }

        record.ModifiedProperties = [new ModifiedProperty("active", ScimValues.Text(state.LastApplied["active"] ?? ScimValues.True), "false")];
        record.Step(ProvisioningStepType.Export, ProvisioningStatus.Success, "EntryExportUpdate",
            $"Disabled User {targetId} (active = false). It can be enabled again; nothing was deleted.");
        await SaveAsync(context, current!, state with
        {
            LastApplied = applied,
            AppliedHash = AppliedStateHash.Of(applied),
            Status = ObjectStatus.Disabled,
        }, cancellationToken).ConfigureAwait(false);
        return WorkItemResult.Succeeded;
    }

    /// <summary>Saves the state and settles the item's change in the same write.</summary>
    private async Task SaveAsync(ReconciliationContext context, State.Versioned<ObjectState> current, ObjectState state, CancellationToken cancellationToken)
    {
        var written = await objects.RecordSuccessAsync(state, current.ETag, context.Item.ChangeId, cancellationToken).ConfigureAwait(false);
        if (written.IsConflict)
        {
            throw new StateConflictException(context.Describe());
        }

        context.Record.ChangeSettled = true;
    }

    /// <summary>The state of an object that no longer exists in the target: no link, nothing applied.</summary>
    private static ObjectState Unlinked(ObjectState state) => state with
    {
        TargetId = null,
        AppliedHash = null,
        LastApplied = ScimAttributes.Empty,
        Status = ObjectStatus.Deleted,
        CreatedOrAdopted = false,
    };
}
