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
/// The dry run of <see cref="WorkItemProcessor"/>: the same decisions from the same state and mappings, with match
/// lookups against the target, and no write to the target or to the state.
/// </summary>
public sealed class WorkItemPlanner(
    JobCatalog jobs, JobScimClients clients, MappingEngine mapping, ObjectStateStore objects, MembershipStore memberships) : IWorkItemPlanner
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

        if (item.Kind == ObjectKind.Group && !job.Definition.Policy.ProvisionGroups)
        {
            return PlannedChange.Nothing("The job provisions users only.", "EntrySynchronizationSkipped");
        }

        var state = (await objects.GetAsync(job.Id, item.Kind, item.SourceId, cancellationToken).ConfigureAwait(false))?.Value;
        var known = state?.TargetId;
        var mapped = mapping.Map(snapshot, job.Mappings, isCreate: known is null);
        if (!mapped.Succeeded)
        {
            return PlannedChange.Nothing($"The attributes could not be mapped: {mapped.FailureReason}.", "AttributeMappingFailed");
        }

        var desired = mapped.Attributes;
        if (known is null && !mapped.HasMatchingValue)
        {
            return PlannedChange.Nothing("The object has no value for any matching attribute.", "ImportSkipped");
        }

        string? note = null;
        if (item.Kind == ObjectKind.User)
        {
            var decision = client.Profile.DecideUserWrite(desired, job.Definition.Target);
            if (!decision.Proceed)
            {
                return PlannedChange.Nothing(decision.Reason!, decision.ReasonCode, known);
            }
        }
        else if (known is not null
                 && state!.LastApplied["displayName"] is { ValueKind: JsonValueKind.String } appliedName
                 && desired["displayName"] is { ValueKind: JsonValueKind.String } wantedName
                 && client.Profile.DecideGroupRename(appliedName.GetString()!, wantedName.GetString()!) is { Proceed: false } rename)
        {
            desired = desired.With("displayName", appliedName);
            note = " " + rename.Reason;
        }

        if (known is { } targetId)
        {
            if (state!.AppliedHash == AppliedStateHash.Of(desired) && state.Status != ObjectStatus.Escrowed)
            {
                return PlannedChange.Nothing("No change since the last applied state." + note, "EntrySynchronizationSkipped", targetId);
            }

            var changes = Changes(state.LastApplied, desired, mapped);
            return new PlannedChange(ProvisioningAction.Update, changes.Count > 0, $"Would update {item.Kind} {targetId}: {changes.Count} attribute(s) differ from the last applied state.{note}", changes, targetId);
        }

        foreach (var matching in mapped.Matching)
        {
            var value = ScimValues.Text(matching.Value);
            var found = await client.FindAsync(item.Kind, matching.Target, value, cancellationToken).ConfigureAwait(false);
            if (found.Count > 1)
            {
                return PlannedChange.Nothing(
                    $"{found.Count} {item.Kind}s in the target match {matching.Target} eq \"{value}\" ({string.Join(", ", found.Select(f => f.Id.Value))}); processing would fail.",
                    ScimFailureClassifier.DuplicateTargetEntries);
            }

            if (found.Count == 1)
            {
                var changes = Changes(found[0].Attributes, desired, mapped);
                return new PlannedChange(ProvisioningAction.Update, changes.Count > 0,
                    $"Would adopt {item.Kind} {found[0].Id}, matched on {matching.Target} eq \"{value}\", and update the {changes.Count} attribute(s) that differ.",
                    changes, found[0].Id);
            }
        }

        return new PlannedChange(ProvisioningAction.Create, true,
            $"No {item.Kind} in the target matches; it would be created{(item.Kind == ObjectKind.Group ? " with no members" : string.Empty)}.",
            Changes(ScimAttributes.Empty, desired, mapped));
    }

    private async Task<PlannedChange> PlanDeprovisionAsync(ProvisioningJob job, ScimClient client, WorkItem item, CancellationToken cancellationToken)
    {
        var state = (await objects.GetAsync(job.Id, item.Kind, item.SourceId, cancellationToken).ConfigureAwait(false))?.Value;
        if (state is null || !state.MayDeprovision)
        {
            return PlannedChange.Nothing("Not created or adopted by ScimSync: it would be left alone.", "NotCreatedOrAdopted");
        }

        if (job.Definition.Policy.Deprovision == DeprovisionMode.None)
        {
            return PlannedChange.Nothing("The job's policy.deprovision is none.", "EntrySynchronizationSkipped", state.TargetId);
        }

        var delete = item.Operation == WorkOperation.Delete && job.Definition.Policy.Deprovision == DeprovisionMode.DeleteWhenHardDeleted;
        if (client.Profile.DeprovisionActionFor(delete) == ScimDeprovisionAction.Delete)
        {
            return new PlannedChange(ProvisioningAction.Delete, true,
                $"Would delete {item.Kind} {state.TargetId}." + (client.Profile.DeleteIsIrreversible ? $" {client.Profile.Name} cannot undo a delete." : string.Empty),
                [], state.TargetId);
        }

        if (item.Kind == ObjectKind.Group)
        {
            return PlannedChange.Nothing("SCIM groups have no active flag; the group would be left as it is.", "EntrySynchronizationSkipped", state.TargetId);
        }

        if (state.Status == ObjectStatus.Disabled)
        {
            return PlannedChange.Nothing("Already disabled.", "EntrySynchronizationSkipped", state.TargetId);
        }

        return new PlannedChange(ProvisioningAction.Disable, true, $"Would disable User {state.TargetId} (active = false).",
            [new ModifiedProperty("active", ScimValues.Text(state.LastApplied["active"] ?? ScimValues.True), "false")], state.TargetId);
    }

    private async Task<PlannedChange> PlanMembershipAsync(ProvisioningJob job, ScimClient client, WorkItem item, CancellationToken cancellationToken)
    {
        if (item.Membership is not { } chunk)
        {
            return PlannedChange.Nothing("The work item carries no membership change.", "MissingMembership");
        }

        var group = (await objects.GetAsync(job.Id, ObjectKind.Group, chunk.Group, cancellationToken).ConfigureAwait(false))?.Value;
        var edges = new Dictionary<SourceId, MembershipEdge>();
        await foreach (var edge in memberships.ListAsync(job.Id, chunk.Group, cancellationToken).ConfigureAwait(false))
        {
            edges[edge.Member] = edge;
        }

        var adds = chunk.Add.Where(m => !edges.TryGetValue(m.Id, out var e) || (e.Desired && !e.Applied)).Select(m => m.Id.Value).Distinct().ToList();
        var removes = chunk.Remove.Where(m => edges.TryGetValue(m.Id, out var e) && e.Applied && !e.Desired).Select(m => m.Id.Value).Distinct().ToList();
        var changes = new List<ModifiedProperty>();
        if (adds.Count > 0)
        {
            changes.Add(new ModifiedProperty("members (added)", null, $"{adds.Count}: {ScimValues.List(adds)}"));
        }

        if (removes.Count > 0)
        {
            changes.Add(new ModifiedProperty("members (removed)", $"{removes.Count}: {ScimValues.List(removes)}", null));
        }

        var batches = (adds.Count + client.Profile.MemberBatchSize - 1) / client.Profile.MemberBatchSize
                      + (removes.Count + client.Profile.MemberBatchSize - 1) / client.Profile.MemberBatchSize;
        var reason = group?.TargetId is null
            ? "The group is not provisioned yet; its members would be applied once it is."
            : $"Would send {adds.Count} addition(s) and {removes.Count} removal(s) to group {group.TargetId} in {batches} request(s).";
        return new PlannedChange(ProvisioningAction.Update, group?.TargetId is not null && adds.Count + removes.Count > 0, reason, changes, group?.TargetId);
    }

    private static List<ModifiedProperty> Changes(ScimAttributes before, ScimAttributes desired, MappingResult mapped)
    {
        var changed = desired.Values
            .Where(pair => before[pair.Key] is not { } old ? pair.Value.ValueKind != JsonValueKind.Null : !JsonElement.DeepEquals(old, pair.Value))
            .Select(pair => pair.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return ModifiedProperty.Between(
            ScimAttributes.From(before.Values.Where(pair => changed.Contains(pair.Key))),
            ScimAttributes.From(desired.Values.Where(pair => changed.Contains(pair.Key))),
            mapped.RedactedPaths).ToList();
    }
}
