using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim.Profiles;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// What deprovisioning one object does, decided from the job's policy, the target's profile and the object's state:
/// only objects ScimSync created or adopted are ever touched. The reconciliation carries it out; the plan describes it.
/// </summary>
internal abstract record DeprovisionDecision
{
    /// <summary>Nothing is sent; <paramref name="Step"/> is the step of the provisioning log that decided it.</summary>
    public sealed record NotSent(ProvisioningStepType Step, string Code, string Reason, TargetId? TargetId) : DeprovisionDecision;

    /// <summary>The target object is deleted.</summary>
    public sealed record Delete(TargetId TargetId) : DeprovisionDecision;

    /// <summary>The target user is disabled (<c>active=false</c>).</summary>
    public sealed record Disable(TargetId TargetId) : DeprovisionDecision;

    public static DeprovisionDecision Decide(ProvisioningJob job, ScimTargetProfile profile, WorkItem item, ObjectState? state, string describe)
    {
        if (state is null || !state.MayDeprovision)
        {
            return new NotSent(ProvisioningStepType.Scoping, "NotCreatedOrAdopted",
                $"{describe} is not deprovisioned: not created or adopted by ScimSync. ScimSync never disables or deletes target objects it did not create or adopt.", null);
        }

        var targetId = state.TargetId!.Value;
        if (job.Definition.Policy.Deprovision == DeprovisionMode.None)
        {
            return new NotSent(ProvisioningStepType.Scoping, "EntrySynchronizationSkipped",
                $"{describe} is left as it is in the target: the job's {job.SettingPath}.policy.deprovision is none.", targetId);
        }

        if (profile.DeprovisionActionFor(DeleteRequested(job, item)) == ScimDeprovisionAction.Delete)
        {
            return new Delete(targetId);
        }

        if (item.Kind == ObjectKind.Group)
        {
            return new NotSent(ProvisioningStepType.Processing, "EntrySynchronizationSkipped",
                $"Group {targetId} is left as it is: SCIM groups have no active flag to disable. " +
                $"Set {job.SettingPath}.policy.deprovision to deleteWhenHardDeleted to delete groups that are permanently deleted in the source.", targetId);
        }

        return state.Status == ObjectStatus.Disabled
            ? new NotSent(ProvisioningStepType.Processing, "EntrySynchronizationSkipped", $"No change: User {targetId} is already disabled in the target.", targetId)
            : new Disable(targetId);
    }

    /// <summary>True when the source deleted the object for good and the job's policy deletes such objects.</summary>
    public static bool DeleteRequested(ProvisioningJob job, WorkItem item) =>
        item.Operation == WorkOperation.Delete && job.Definition.Policy.Deprovision == DeprovisionMode.DeleteWhenHardDeleted;
}
