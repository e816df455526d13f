using System.Text.Json;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Mapping;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// What an upsert of one source object does, decided from the job, the object's state and its mapped attributes
/// before anything is sent. The reconciliation carries it out; the plan describes it. One rule set, so a plan can
/// never disagree with what a sync does.
/// </summary>
internal abstract record UpsertDecision
{
    /// <summary>Nothing is sent, for a reason of the job, the object or the target's rules.</summary>
    /// <param name="Step">The step of the provisioning log that decided it.</param>
    /// <param name="Mapped">The mapped attributes, when the object was mapped before the decision.</param>
    /// <param name="RememberSkipped">True when the object, with no target object, is recorded as skipped for its groups.</param>
    public sealed record NotSent(
        ProvisioningStepType Step, string Code, string Reason, string? RecommendedAction, MappingResult? Mapped, bool RememberSkipped, TargetId? TargetId) : UpsertDecision;

    /// <summary>The attributes could not be mapped: a failure of the object, escrowed until its mapping or values are fixed.</summary>
    public sealed record MappingFailed(string Reason) : UpsertDecision;

    /// <summary>The target object already has the mapped attributes last applied.</summary>
    /// <param name="RenameRefused">Set when the only difference is a rename the target does not support.</param>
    public sealed record Unchanged(TargetId TargetId, MappingResult Mapped, ScimProfileDecision? RenameRefused) : UpsertDecision;

    /// <summary>The known target object gets the attributes that differ from the last applied ones.</summary>
    public sealed record Update(TargetId TargetId, MappingResult Mapped, ScimAttributes Desired, ScimProfileDecision? RenameRefused) : UpsertDecision;

    /// <summary>No target object is known: match it on the matching attributes, adopt a single match, else create it.</summary>
    public sealed record MatchOrCreate(MappingResult Mapped) : UpsertDecision;

    /// <summary>Decides the upsert of <paramref name="snapshot"/> into the job's target.</summary>
    public static UpsertDecision Decide(
        MappingEngine mapping, ProvisioningJob job, ScimTargetProfile profile, SourceObject snapshot, ObjectState? state, string describe)
    {
        var kind = snapshot.Kind;
        if (kind == ObjectKind.Group && !job.Definition.Policy.ProvisionGroups)
        {
            return new NotSent(ProvisioningStepType.Scoping, "EntrySynchronizationSkipped",
                $"The job provisions users only ({job.SettingPath}.policy.provisionGroups is false).", null, null, false, state?.TargetId);
        }

        var known = state?.TargetId;
        var mapped = mapping.Map(snapshot, job.Mappings, isCreate: known is null);
        if (!mapped.Succeeded)
        {
            return new MappingFailed($"The attributes of {describe} could not be mapped: {mapped.FailureReason}.");
        }

        if (known is null && !mapped.HasMatchingValue)
        {
            var matching = string.Join(", ", job.Mappings.For(kind).Matching.Select(m => m.Target.Text));
            return new NotSent(ProvisioningStepType.Matching, "ImportSkipped",
                $"{describe} has no value for any matching attribute ({matching}), so it can be neither matched nor created.",
                "Give the source object a value for a matching attribute, or change the matching attributes of the job's mappings.",
                mapped, true, null);
        }

        var desired = mapped.Attributes;
        ScimProfileDecision? renameRefused = null;
        if (kind == ObjectKind.User)
        {
            var write = profile.DecideUserWrite(desired, job.Definition.Target);
            if (!write.Proceed)
            {
                return new NotSent(ProvisioningStepType.Processing, write.ReasonCode!, write.Reason!, null, mapped, true, known);
            }
        }
        else if (known is not null
                 && state!.LastApplied["displayName"] is { ValueKind: JsonValueKind.String } appliedName
                 && desired["displayName"] is { ValueKind: JsonValueKind.String } wantedName
                 && profile.DecideGroupRename(appliedName.GetString()!, wantedName.GetString()!) is { Proceed: false } rename)
        {
            // The rest of the group's attributes still go; only the rename is held back.
            desired = desired.With("displayName", appliedName);
            renameRefused = rename;
        }

        if (known is not { } targetId)
        {
            return new MatchOrCreate(mapped);
        }

        return state!.AppliedHash == AppliedStateHash.Of(desired) && state.Status != ObjectStatus.Escrowed
            ? new Unchanged(targetId, mapped, renameRefused)
            : new Update(targetId, mapped, desired, renameRefused);
    }
}
