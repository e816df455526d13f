using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.State;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Applies one slice of a group's membership change: only the edges in the slice that the target does not have yet
/// (adds) or still has (removes), in PATCHes of the profile's batch size. Each accepted batch is marked applied at
/// once, so a redelivered or half-done slice sends nothing twice.
/// </summary>
internal sealed class MembershipReconciler(ObjectStateStore objects, MembershipStore memberships, MemberResolver resolver)
{
    private const string MemberMissingInTarget = "MemberMissingInTarget";

    public async Task<WorkItemResult> ApplyAsync(ReconciliationContext context, CancellationToken cancellationToken)
    {
        var (job, item, client, record) = context;
        var chunk = item.Membership ?? throw new ReconciliationException(new ReconciliationError(
            WorkItemResult.Failed, "MissingMembership",
            $"The work item asks to change the members of group {item.SourceId} but carries no members.",
            "Run a new cycle; if this repeats, report it as a bug."));
        record.Action = ProvisioningAction.Update;
        record.Step(ProvisioningStepType.Import, ProvisioningStatus.Success, "EntryImport",
            $"Received membership changes of group {chunk.Group}: {chunk.Add.Count} to add, {chunk.Remove.Count} to remove (slice {chunk.ChunkNumber + 1} of {chunk.ChunkCount}).",
            new Dictionary<string, string> { ["SourceId"] = item.SourceId.Value, ["CycleId"] = item.CycleId });

        if (!job.Definition.Policy.ProvisionGroups || !job.Mappings.Groups.ProvisionsMembers)
        {
            record.Skipped(ProvisioningStepType.Scoping, "EntrySynchronizationSkipped",
                "The job does not provision group memberships (groups are off, or the group mappings have no 'members').");
            record.MembersSettled = true;
            return WorkItemResult.Skipped;
        }

        var group = await objects.GetAsync(job.Id, ObjectKind.Group, chunk.Group, cancellationToken).ConfigureAwait(false);
        record.Row = group;
        if (group?.Value.TargetId is not { } groupId)
        {
            throw new ReconciliationException(new ReconciliationError(
                WorkItemResult.RetryLater, "GroupNotProvisionedYet",
                $"Group {chunk.Group} is not provisioned in the target yet; its members are applied once it is."));
        }

        record.TargetId = groupId;
        record.SourceDisplayName = group.Value.LastApplied["displayName"] is { } name ? ScimValues.Text(name) : null;

        // A slice among several reads only its own members' edges. A group's only slice, and one from before slices
        // carried their group's size, read the whole group: what it reads then also tells whether the group is settled.
        var wholeGroup = chunk.DesiredMemberCount is null || chunk.ChunkCount == 1;
        var edges = new Dictionary<SourceId, MembershipEdge>();
        var stored = wholeGroup
            ? memberships.ListAsync(job.Id, chunk.Group, cancellationToken)
            : memberships.ListSpanningAsync(job.Id, chunk.Group, chunk.Add.Concat(chunk.Remove).Select(member => member.Id), cancellationToken);
        await foreach (var edge in stored.ConfigureAwait(false))
        {
            edges[edge.Member] = edge;
        }

        var (adds, removes) = MembershipDelta.Of(chunk, edges);
        var size = client.Profile.DecideGroupSize(MembershipDelta.SizeOnceApplied(chunk, edges, adds, removes));
        if (!size.Proceed)
        {
            throw new ReconciliationException(new ReconciliationError(
                WorkItemResult.Failed, size.ReasonCode!, size.Reason!,
                "Split the group in the source, or ask the target's support to raise the limit; no member of this slice was sent."));
        }

        // After the target refused a member id, every member is read by itself rather than from a recent snapshot.
        var fresh = item.EarlierAttempts.Any(attempt => attempt.Code == MemberMissingInTarget);
        var (addIds, refused) = await resolver.ResolveAsync(job.Id, adds, fresh, cancellationToken).ConfigureAwait(false);
        var (removeIds, _) = await resolver.ResolveAsync(job.Id, removes, fresh, cancellationToken).ConfigureAwait(false);
        if (refused.Count > 0)
        {
            // Waiting for these would retry the group until it is poison: each waits for its own cause to be fixed, and
            // provisioning it later brings this group's edge to it back to work.
            foreach (var (member, why) in refused)
            {
                await memberships.AwaitMemberAsync(job.Id, member.Id, chunk.Group, why.Name, why.Code, why.Reason, cancellationToken).ConfigureAwait(false);
            }

            // One provisioned meanwhile (after it was read, before the wait was recorded) is sent now instead.
            var (lateIds, stillRefused) = await resolver.ResolveAsync(job.Id, refused.Keys.ToList(), fresh: true, cancellationToken).ConfigureAwait(false);
            foreach (var (member, id) in lateIds)
            {
                addIds[member] = id;
            }

            refused = stillRefused;
        }

        var notYetProvisioned = adds.Where(m => !addIds.ContainsKey(m) && !refused.ContainsKey(m)).ToList();
        if (refused.Count > 0)
        {
            record.Warn(ProvisioningStepType.ReferenceResolution, "MemberNotProvisioned",
                $"{refused.Count} member(s) were not added because they are not provisioned in the target: " +
                $"{RefusedMember.List(refused.Values)}. " +
                "Each is added to the group as soon as it is provisioned; fix its own cause for that.");
        }

        var unknownRemovals = removes.Where(m => !removeIds.ContainsKey(m)).ToList();
        if (unknownRemovals.Count > 0)
        {
            // The member's own state is gone, so its target id is unknown; there is nothing to send.
            await memberships.SetAppliedAsync(job.Id, chunk.Group, unknownRemovals.Select(m => new AppliedEdge(m.Id, m.Kind, false)), cancellationToken).ConfigureAwait(false);
            record.Warn(ProvisioningStepType.ReferenceResolution, "MemberNotFound",
                $"{unknownRemovals.Count} member(s) to remove are no longer known to ScimSync and were not sent: {ScimValues.List(unknownRemovals.Select(m => m.Id.Value).ToList())}.");
        }

        record.Step(ProvisioningStepType.ReferenceResolution, ProvisioningStatus.Success, "EntryReferenceResolution",
            $"Resolved {addIds.Count + removeIds.Count} member(s) to target ids; {chunk.Add.Count - adds.Count + chunk.Remove.Count - removes.Count} edge(s) of the slice were already as desired.");

        var sourceOf = addIds.Concat(removeIds).GroupBy(pair => pair.Value).ToDictionary(g => g.Key, g => g.First().Key);
        var requests = 0;
        var removed = new List<string>();
        var added = new List<string>();
        var appliedNow = unknownRemovals.ToDictionary(member => member.Id, _ => false);
        try
        {
            await client.RemoveMembersAsync(groupId, removeIds.Values, async (batch, ct) =>
            {
                requests++;
                removed.AddRange(batch.Select(id => sourceOf[id].Id.Value));
                foreach (var id in batch)
                {
                    appliedNow[sourceOf[id].Id] = false;
                }

                await memberships.SetAppliedAsync(job.Id, chunk.Group, batch.Select(id => new AppliedEdge(sourceOf[id].Id, sourceOf[id].Kind, false)), ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            await client.AddMembersAsync(groupId, addIds.Values, async (batch, ct) =>
            {
                requests++;
                added.AddRange(batch.Select(id => sourceOf[id].Id.Value));
                foreach (var id in batch)
                {
                    appliedNow[sourceOf[id].Id] = true;
                }

                await memberships.SetAppliedAsync(job.Id, chunk.Group, batch.Select(id => new AppliedEdge(sourceOf[id].Id, sourceOf[id].Kind, true)), ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ScimException error) when (error.Classification == ScimErrorClassification.NotFound && error.Path.StartsWith("Groups/", StringComparison.Ordinal))
        {
            // Atlassian answers 404 for a missing group and for a missing member alike: read the group back to tell which.
            if (await GroupExistsAsync(client, groupId, cancellationToken).ConfigureAwait(false))
            {
                throw new ReconciliationException(new ReconciliationError(
                    WorkItemResult.RetryLater, MemberMissingInTarget,
                    $"Group {groupId} exists, but the target answered 404 for its members: a member ScimSync provisioned is gone from the target. " +
                    "The next drift scan finds it and the following cycle creates it again; its memberships follow.",
                    "Run scimsync audit to find and repair it now."));
            }

            await ForgetVanishedGroupAsync(context, chunk, cancellationToken).ConfigureAwait(false);
            throw new ReconciliationException(new ReconciliationError(
                WorkItemResult.RetryLater, "InvalidAnchor",
                $"Group {groupId} no longer exists in the target (deleted there, outside ScimSync). The next update of the group creates it again, and its members follow."));
        }
        finally
        {
            record.ModifiedProperties = Changes(added, removed);
        }

        record.Step(ProvisioningStepType.Export, ProvisioningStatus.Success, "EntryExportUpdate",
            $"Sent {added.Count} addition(s) and {removed.Count} removal(s) to group {groupId} in {requests} request(s) of at most {client.Profile.MemberBatchSize} members.");
        if (added.Count < addIds.Count || removed.Count < removeIds.Count)
        {
            record.Warn(ProvisioningStepType.Export, "MembersNotKept",
                $"The target answered without the group and reading it back shows {addIds.Count - added.Count} addition(s) and {removeIds.Count - removed.Count} removal(s) not carried out; they stay pending and are sent again.");
        }

        if (notYetProvisioned.Count > 0)
        {
            var ids = ScimValues.List(notYetProvisioned.Select(m => $"{m.Kind} {m.Id}").ToList());
            throw new ReconciliationException(new ReconciliationError(
                WorkItemResult.RetryLater, "MemberNotProvisionedYet",
                $"{notYetProvisioned.Count} member(s) not provisioned yet: {ids}. The other members were applied; these are added once they exist in the target.",
                "Nothing to do if the members are in scope: they are provisioned by their own items. Otherwise check that they are assigned to the application."));
        }

        // Members the target refused wait for their own cause to be fixed; everything else of the group must be applied.
        var refusedIds = refused.Keys.Select(member => member.Id).ToHashSet();
        if (wholeGroup)
        {
            record.MembersSettled = !AnyPendingOnceApplied(edges, appliedNow, refusedIds);
            return WorkItemResult.Succeeded;
        }

        // Slices are cut in member order and mostly done in it: one with slices after it looks at theirs first.
        SourceId? after = chunk.ChunkNumber < chunk.ChunkCount - 1
            ? chunk.Add.Concat(chunk.Remove).Select(member => member.Id).DefaultIfEmpty(chunk.Group).MaxBy(id => TableKey.Compose(id.Value), StringComparer.Ordinal)
            : null;
        record.MembersSettled = !await memberships.AnyPendingAsync(job.Id, chunk.Group, after, refusedIds, cancellationToken).ConfigureAwait(false);
        return WorkItemResult.Succeeded;
    }

    /// <summary>
    /// Whether an edge of the group, as read at the start of the slice with what the slice applied since, still differs
    /// between source and target, other than <paramref name="except"/>'s: what <see cref="MembershipStore.AnyPendingAsync"/>
    /// would read now, without reading the group again.
    /// </summary>
    private static bool AnyPendingOnceApplied(
        Dictionary<SourceId, MembershipEdge> edges, Dictionary<SourceId, bool> appliedNow, HashSet<SourceId> except) =>
        edges.Values.Any(edge => !except.Contains(edge.Member) && edge.Desired != appliedNow.GetValueOrDefault(edge.Member, edge.Applied))
        || appliedNow.Any(applied => applied.Value && !edges.ContainsKey(applied.Key) && !except.Contains(applied.Key));

    private static async Task<bool> GroupExistsAsync(ScimClient client, TargetId groupId, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetAsync(ObjectKind.Group, groupId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ScimException missing) when (missing.Classification == ScimErrorClassification.NotFound)
        {
            return false;
        }
    }

    private async Task ForgetVanishedGroupAsync(ReconciliationContext context, MembershipChunk chunk, CancellationToken cancellationToken)
    {
        var job = context.Job.Id;
        var applied = await memberships.ListAsync(job, chunk.Group, cancellationToken).Where(e => e.Applied).ToListAsync(cancellationToken).ConfigureAwait(false);
        await memberships.SetAppliedAsync(job, chunk.Group, applied.Select(e => new AppliedEdge(e.Member, e.MemberKind, false)), cancellationToken).ConfigureAwait(false);
        var current = await objects.GetAsync(job, ObjectKind.Group, chunk.Group, cancellationToken).ConfigureAwait(false);
        if (current is not null)
        {
            await objects.SaveAsync(current.Value with { TargetId = null, AppliedHash = null, LastApplied = ScimAttributes.Empty, CreatedOrAdopted = false }, current.ETag, cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<ModifiedProperty> Changes(List<string> added, List<string> removed)
    {
        var changes = new List<ModifiedProperty>();
        if (added.Count > 0)
        {
            changes.Add(new ModifiedProperty("members (added)", null, $"{added.Count}: {ScimValues.List(added)}"));
        }

        if (removed.Count > 0)
        {
            changes.Add(new ModifiedProperty("members (removed)", $"{removed.Count}: {ScimValues.List(removed)}", null));
        }

        return changes;
    }
}
