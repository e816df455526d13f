using System.Text.Json;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Mapping;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// The dry run of <see cref="WorkItemProcessor"/>: the same decisions (<see cref="UpsertDecision"/>,
/// <see cref="TargetMatch"/>, <see cref="DeprovisionDecision"/>, <see cref="MembershipDelta"/>) from the same state and
/// mappings, with match lookups against the target, and no write to the target or to the state.
/// </summary>
public sealed class WorkItemPlanner(
    JobCatalog jobs, JobScimClients clients, MappingEngine mapping, ObjectStateStore objects, TargetLinkStore links, MembershipStore memberships, TargetIdSnapshots snapshots) : IWorkItemPlanner
{
    /// <inheritdoc />
    public async Task<PlannedChange> PlanAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var job = jobs.Jobs.FirstOrDefault(j => j.Id == item.Job);
        if (job is null)
        {
            return PlannedChange.Nothing($"The work item belongs to job '{item.Job}', which is not in the job file.", "UnknownJob");
        }

        var client = await clients.GetAsync(job, cancellationToken).ConfigureAwait(false);
        return item.Operation switch
        {
            WorkOperation.Upsert => await PlanUpsertAsync(job, client, item, cancellationToken).ConfigureAwait(false),
            WorkOperation.Deprovision or WorkOperation.Delete => await PlanDeprovisionAsync(job, client, item, cancellationToken).ConfigureAwait(false),
            WorkOperation.MembershipChunk => await PlanMembershipAsync(job, client, item, cancellationToken).ConfigureAwait(false),
            _ => PlannedChange.Nothing($"The operation {item.Operation} is not one this version of ScimSync knows.", "UnknownOperation"),
        };
    }

    private async Task<PlannedChange> PlanUpsertAsync(ProvisioningJob job, ScimClient client, WorkItem item, CancellationToken cancellationToken)
    {
        if (item.Snapshot is not { } snapshot)
        {
            return PlannedChange.Nothing("The work item carries no source object.", "MissingSnapshot");
        }

        var state = (await objects.GetAsync(job.Id, item.Kind, item.SourceId, cancellationToken).ConfigureAwait(false))?.Value;
        var describe = ReconciliationContext.Describe(item, ReconciliationContext.NameOf(item));
        switch (UpsertDecision.Decide(mapping, job, client.Profile, snapshot, state, describe))
        {
            case UpsertDecision.NotSent notSent:
                return PlannedChange.Nothing(notSent.Reason, notSent.Code, notSent.TargetId);
            case UpsertDecision.MappingFailed failed:
                return PlannedChange.Nothing(failed.Reason + " Processing would fail and escrow it.", "AttributeMappingFailed");
            case UpsertDecision.Unchanged unchanged:
                return PlannedChange.Nothing(
                    unchanged.RenameRefused?.Reason ?? "No change since the last applied state.",
                    unchanged.RenameRefused?.ReasonCode ?? "EntrySynchronizationSkipped", unchanged.TargetId);
            case UpsertDecision.Update update:
            {
                var changes = Changes(state!.LastApplied, update.Desired, update.Mapped);
                var note = update.RenameRefused is { } refused ? " " + refused.Reason : string.Empty;
                return new PlannedChange(ProvisioningAction.Update, changes.Count > 0,
                    $"Would update {item.Kind} {update.TargetId}: {changes.Count} attribute(s) differ from the last applied state.{note}", changes, update.TargetId);
            }

            case UpsertDecision.MatchOrCreate match:
            {
                var found = await TargetMatch.FindAsync(client, item, match.Mapped, cancellationToken).ConfigureAwait(false);
                if (found.Duplicates is { } duplicates)
                {
                    var error = TargetMatch.DuplicateError(duplicates, item.Kind, describe);
                    return PlannedChange.Nothing(error.Reason + " Processing would fail.", error.ErrorCode);
                }

                if (found.Adopted is { } adopted)
                {
                    var probe = found.Probes[^1];
                    if (await links.HolderOtherThanAsync(job.Id, item.Kind, adopted.Id, item.SourceId, cancellationToken).ConfigureAwait(false) is { } holder)
                    {
                        var holderName = (await objects.GetAsync(job.Id, item.Kind, holder, cancellationToken).ConfigureAwait(false))?.Value.DisplayName;
                        var error = TargetMatch.DuplicateSourceError(item.Kind, adopted.Id, describe, holder, holderName, (probe.Attribute, probe.Value));
                        return PlannedChange.Nothing(error.Reason + " Processing would fail.", error.ErrorCode);
                    }

                    var changes = Changes(adopted.Attributes, match.Mapped.Attributes, match.Mapped);
                    return new PlannedChange(ProvisioningAction.Update, changes.Count > 0,
                        $"Would adopt {item.Kind} {adopted.Id}, matched on {probe.Attribute} eq \"{probe.Value}\", and update the {changes.Count} attribute(s) that differ.",
                        changes, adopted.Id);
                }

                return new PlannedChange(ProvisioningAction.Create, true,
                    $"No {item.Kind} in the target matches; it would be created{(item.Kind == ObjectKind.Group ? " with no members" : string.Empty)}.",
                    Changes(ScimAttributes.Empty, match.Mapped.Attributes, match.Mapped));
            }

            default:
                throw new InvalidOperationException("Unknown upsert decision.");
        }
    }

    private async Task<PlannedChange> PlanDeprovisionAsync(ProvisioningJob job, ScimClient client, WorkItem item, CancellationToken cancellationToken)
    {
        var state = (await objects.GetAsync(job.Id, item.Kind, item.SourceId, cancellationToken).ConfigureAwait(false))?.Value;
        var describe = ReconciliationContext.Describe(item, ReconciliationContext.NameOf(item));
        return DeprovisionDecision.Decide(job, client.Profile, item, state, describe) switch
        {
            DeprovisionDecision.NotSent notSent => PlannedChange.Nothing(notSent.Reason, notSent.Code, notSent.TargetId),
            DeprovisionDecision.Delete delete => new PlannedChange(ProvisioningAction.Delete, true,
                $"Would delete {item.Kind} {delete.TargetId}." + (client.Profile.DeleteIsIrreversible ? $" {client.Profile.Name} cannot undo a delete." : string.Empty),
                [], delete.TargetId),
            DeprovisionDecision.Disable disable => new PlannedChange(ProvisioningAction.Disable, true, $"Would disable User {disable.TargetId} (active = false).",
                [new ModifiedProperty("active", ScimValues.Text(state!.LastApplied["active"] ?? ScimValues.True), "false")], disable.TargetId),
            _ => throw new InvalidOperationException("Unknown deprovision decision."),
        };
    }

    private async Task<PlannedChange> PlanMembershipAsync(ProvisioningJob job, ScimClient client, WorkItem item, CancellationToken cancellationToken)
    {
        if (item.Membership is not { } chunk)
        {
            return PlannedChange.Nothing("The work item carries no membership change.", "MissingMembership");
        }

        if (!job.Definition.Policy.ProvisionGroups || !job.Mappings.Groups.ProvisionsMembers)
        {
            return PlannedChange.Nothing("The job does not provision group memberships (groups are off, or the group mappings have no 'members').", "EntrySynchronizationSkipped");
        }

        var group = (await objects.GetAsync(job.Id, ObjectKind.Group, chunk.Group, cancellationToken).ConfigureAwait(false))?.Value;
        var edges = new Dictionary<SourceId, MembershipEdge>();
        await foreach (var edge in memberships.ListAsync(job.Id, chunk.Group, cancellationToken).ConfigureAwait(false))
        {
            edges[edge.Member] = edge;
        }

        var (sliceAdds, removes) = MembershipDelta.Of(chunk, MembershipDelta.AsRecordedFor(chunk, job.Id, edges));
        var size = client.Profile.DecideGroupSize(MembershipDelta.SizeOnceApplied(chunk, edges, sliceAdds, removes));
        if (!size.Proceed)
        {
            return PlannedChange.Nothing(size.Reason! + " Processing would fail and send no member of this slice.", size.ReasonCode, group?.TargetId);
        }

        // Members the target will not take until their own cause is fixed are reported, not sent (as the sync does).
        var (_, refused) = await new MemberResolver(objects, snapshots).ResolveAsync(job.Id, sliceAdds, fresh: false, cancellationToken).ConfigureAwait(false);
        var adds = sliceAdds.Where(member => !refused.ContainsKey(member)).ToList();
        var changes = new List<ModifiedProperty>();
        if (adds.Count > 0)
        {
            changes.Add(new ModifiedProperty("members (added)", null, $"{adds.Count}: {ScimValues.List(adds.Select(m => m.Id.Value).ToList())}"));
        }

        if (removes.Count > 0)
        {
            changes.Add(new ModifiedProperty("members (removed)", $"{removes.Count}: {ScimValues.List(removes.Select(m => m.Id.Value).ToList())}", null));
        }

        var batches = (adds.Count + client.Profile.MemberBatchSize - 1) / client.Profile.MemberBatchSize
                      + (removes.Count + client.Profile.MemberBatchSize - 1) / client.Profile.MemberBatchSize;
        var notAdded = refused.Count == 0
            ? string.Empty
            : $" {refused.Count} member(s) would not be added because they are not provisioned in the target: {RefusedMember.List(refused.Values)}.";
        var reason = group?.TargetId is null
            ? $"Would send {adds.Count} addition(s) and {removes.Count} removal(s) once the group exists in the target (its own item creates it)."
            : $"Would send {adds.Count} addition(s) and {removes.Count} removal(s) to group {group.TargetId} in {batches} request(s).";
        return new PlannedChange(ProvisioningAction.Update, adds.Count + removes.Count > 0, reason + notAdded, changes, group?.TargetId);
    }

    private static IReadOnlyList<ModifiedProperty> Changes(ScimAttributes before, ScimAttributes desired, MappingResult mapped) =>
        ObjectUpserter.Modified(before, desired, ObjectUpserter.ChangedPaths(before, desired), mapped);
}
