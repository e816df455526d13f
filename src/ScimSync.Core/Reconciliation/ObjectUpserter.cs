using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Mapping;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using ScimSync.Core.State;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Creates or updates one user or group in the target from its source snapshot: map, compare with what was last
/// applied, then PATCH what changed, or (no target id yet) claim the create, match, and create or adopt.
/// </summary>
internal sealed class ObjectUpserter(
    MappingEngine mapping, ObjectStateStore objects, TargetLinkStore links, MembershipStore memberships, TargetIdSnapshots snapshots, TimeProvider time)
{
    // Long enough for a create with its retries; short enough that a crashed worker does not hold the object long.
    private static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(3);

    public async Task<WorkItemResult> UpsertAsync(ReconciliationContext context, CancellationToken cancellationToken)
    {
        var (job, item, client, record) = context;
        var snapshot = item.Snapshot ?? throw new ReconciliationException(new ReconciliationError(
            WorkItemResult.Failed, "MissingSnapshot",
            $"The work item asks to provision {item.Kind} {item.SourceId} but carries no source object.",
            "Run a new cycle; if this repeats, report it as a bug."));
        var kind = item.Kind;
        record.SourceDisplayName = ReconciliationContext.NameOf(item);
        record.Step(ProvisioningStepType.Import, ProvisioningStatus.Success, "EntryImport",
            $"Received {context.Describe()} from Microsoft Entra ID.",
            new Dictionary<string, string> { ["SourceId"] = item.SourceId.Value, ["CycleId"] = item.CycleId });

        // Every write below is guarded by this row's ETag, so a row changed since the cycle inserted it is read after all.
        var current = context.InsertedRow ?? await objects.GetAsync(job.Id, kind, item.SourceId, cancellationToken).ConfigureAwait(false);
        record.Row = current;
        var decision = UpsertDecision.Decide(mapping, job, client.Profile, snapshot, current?.Value, context.Describe());
        switch (decision)
        {
            case UpsertDecision.NotSent notSent:
                record.TargetId = notSent.TargetId;
                if (notSent.Mapped is { } mappedFirst)
                {
                    record.Step(ProvisioningStepType.Scoping, ProvisioningStatus.Success, "EntryScoping", $"{context.Describe()} is in scope of the job.");
                    MappingStep(context, mappedFirst, isCreate: notSent.TargetId is null);
                }

                record.Skipped(notSent.Step, notSent.Code, notSent.Reason, notSent.RecommendedAction);
                if (notSent.RememberSkipped)
                {
                    await RememberSkippedAsync(current, context, notSent.Code, notSent.Reason, cancellationToken).ConfigureAwait(false);
                }

                return WorkItemResult.Skipped;
            case UpsertDecision.MappingFailed failed:
                throw new ReconciliationException(new ReconciliationError(
                    WorkItemResult.Failed, "AttributeMappingFailed", failed.Reason,
                    "Correct the mapping's expression or the source object's values; the object is retried in later cycles."));
        }

        record.Step(ProvisioningStepType.Scoping, ProvisioningStatus.Success, "EntryScoping", $"{context.Describe()} is in scope of the job.");
        var (mapped, desired, renameRefused) = decision switch
        {
            UpsertDecision.Unchanged unchanged => (unchanged.Mapped, unchanged.Mapped.Attributes, unchanged.RenameRefused),
            UpsertDecision.Update update => (update.Mapped, update.Desired, update.RenameRefused),
            UpsertDecision.MatchOrCreate match => (match.Mapped, match.Mapped.Attributes, (ScimProfileDecision?)null),
            _ => throw new InvalidOperationException($"Unknown upsert decision {decision}."),
        };
        MappingStep(context, mapped, isCreate: decision is UpsertDecision.MatchOrCreate);
        if (desired[client.Profile.MatchAttributeFor(kind)] is { ValueKind: JsonValueKind.String } targetName)
        {
            record.TargetDisplayName = targetName.GetString();
        }

        if (decision is UpsertDecision.Unchanged same)
        {
            record.TargetId = same.TargetId;
            record.Action = ProvisioningAction.Update;
            if (renameRefused is not null)
            {
                record.Skipped(ProvisioningStepType.Processing, renameRefused.ReasonCode!, renameRefused.Reason!);
            }
            else
            {
                record.Skipped(ProvisioningStepType.Processing, "EntrySynchronizationSkipped",
                    $"No change: the mapped attributes of {context.Describe()} are the same as those last applied to the target.");
            }

            return WorkItemResult.Skipped;
        }

        if (renameRefused is not null)
        {
            record.Warn(ProvisioningStepType.Processing, renameRefused.ReasonCode!, renameRefused.Reason!);
        }

        if (decision is UpsertDecision.Update { TargetId: var targetId })
        {
            try
            {
                return await UpdateKnownAsync(context, current!, targetId, mapped, desired, cancellationToken).ConfigureAwait(false);
            }
            catch (ScimException error) when (error.Classification == ScimErrorClassification.NotFound)
            {
                record.Warn(ProvisioningStepType.Export, "ObjectVanished",
                    $"{kind} {targetId} no longer exists in the target (it was deleted there, outside ScimSync). " +
                    "It is matched again and, if nothing matches, created again.");
                mapped = mapping.Map(snapshot, job.Mappings, isCreate: true);
                if (!mapped.Succeeded)
                {
                    throw new ReconciliationException(new ReconciliationError(
                        WorkItemResult.Failed, "AttributeMappingFailed", $"The attributes of {context.Describe()} could not be mapped for a create: {mapped.FailureReason}.",
                        "Correct the mapping's expression or the source object's values; the object is retried in later cycles."));
                }

                MappingStep(context, mapped, isCreate: true);
                desired = mapped.Attributes;
            }
        }

        return await CreateOrAdoptAsync(context, current, mapped, desired, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Remembers why an object with no target object was not provisioned, so that its groups complete without waiting
    /// for it (and name it in a warning) instead of retrying until they are poison.
    /// </summary>
    private async Task RememberSkippedAsync(Versioned<ObjectState>? current, ReconciliationContext context, string code, string reason, CancellationToken cancellationToken)
    {
        if (current?.Value.TargetId is not null)
        {
            return;
        }

        var skipped = (current?.Value ?? new ObjectState(context.Job.Id, context.Item.Kind, context.Item.SourceId)) with
        {
            Status = ObjectStatus.Skipped,
            LastError = new ObjectError(code, reason, null, time.GetUtcNow()),
        };
        var written = await objects.SaveAsync(skipped, current?.ETag, cancellationToken).ConfigureAwait(false);
        if (written.IsConflict)
        {
            throw new StateConflictException(context.Describe());
        }

        context.Record.Row = new Versioned<ObjectState>(skipped, written.ETag);
    }

    /// <summary>
    /// Once an object that groups completed without (skipped, escrowed or poisoned) is in the target, makes those groups'
    /// members due, so the next cycle adds it to them.
    /// </summary>
    private async Task ReleaseAwaitingGroupsAsync(ReconciliationContext context, ObjectState? before, CancellationToken cancellationToken)
    {
        // A skipped object whose source changed again was refused before that change: its groups may be waiting too.
        if (before is null || before.TargetId is not null || !(before.Status is ObjectStatus.Skipped or ObjectStatus.Escrowed || before.Pending is { Poisoned: true }))
        {
            return;
        }

        var (job, item, _, record) = context;
        var groups = await memberships.TakeGroupsAwaitingAsync(job.Id, item.SourceId, cancellationToken).ConfigureAwait(false);
        if (groups.Count == 0)
        {
            return;
        }

        await objects.RecordPendingAsync(job.Id, groups.Select(group => new PendingRecord(ObjectKind.Group, group, null, true, time.GetUtcNow(), null)), cancellationToken).ConfigureAwait(false);
        record.Step(ProvisioningStepType.Export, ProvisioningStatus.Success, "EntryGroupsAwaitingMember",
            $"{groups.Count} group(s) that completed without {context.Describe()} get it as a member in the next cycle.");
    }

    private static void MappingStep(ReconciliationContext context, MappingResult mapped, bool isCreate) =>
        context.Record.Step(ProvisioningStepType.Processing, ProvisioningStatus.Success, "EntryMapping",
            $"Mapped {mapped.Attributes.Count} attributes{(isCreate ? " for a create" : string.Empty)}." +
            (mapped.InvisibleCharactersRemoved.Count == 0
                ? string.Empty
                : $" Removed control or bidirectional formatting characters from {string.Join(", ", mapped.InvisibleCharactersRemoved.Order(StringComparer.Ordinal))}."));

    private async Task<WorkItemResult> UpdateKnownAsync(
        ReconciliationContext context, Versioned<ObjectState> current, TargetId targetId, MappingResult mapped,
        ScimAttributes desired, CancellationToken cancellationToken)
    {
        var (job, item, client, record) = context;
        var state = current.Value;
        record.TargetId = targetId;
        record.Action = ProvisioningAction.Update;
        record.Step(ProvisioningStepType.Matching, ProvisioningStatus.Success, "EntryMatching",
            $"{context.Describe()} is {item.Kind} {targetId} in the target (matched by {state.MatchedBy ?? "an earlier cycle"}).");

        var before = state.LastApplied;
        var returned = await client.UpdateAsync(item.Kind, targetId, before, desired, cancellationToken).ConfigureAwait(false);
        var changed = ChangedPaths(before, desired);
        var confirmed = Confirm(context, mapped, before, desired, changed, returned?.Attributes);
        record.ModifiedProperties = Modified(before, desired, changed, mapped);
        var reenabled = before["active"] is { ValueKind: JsonValueKind.False } && desired["active"] is { ValueKind: JsonValueKind.True };
        record.Step(ProvisioningStepType.Export, ProvisioningStatus.Success, "EntryExportUpdate",
            $"Updated {item.Kind} {targetId}: {changed.Count} attribute(s) changed{(reenabled ? "; the object is active again" : string.Empty)}.");

        var saved = state with
        {
            LastApplied = confirmed,
            AppliedHash = AppliedStateHash.Of(confirmed),
            Status = StatusOf(confirmed),
        };
        await SaveAsync(context, saved, current.ETag, cancellationToken).ConfigureAwait(false);
        return WorkItemResult.Succeeded;
    }

    private async Task<WorkItemResult> CreateOrAdoptAsync(
        ReconciliationContext context, Versioned<ObjectState>? current, MappingResult mapped, ScimAttributes desired,
        CancellationToken cancellationToken)
    {
        var (job, item, client, record) = context;

        // The claim is written on the row read above, guarded by its ETag: a row that changed since (another worker
        // claimed it, or finished and saved its result) is read and decided again.
        var claim = await objects.TryClaimCreateAsync(job.Id, item.Kind, item.SourceId, current, "worker-" + Guid.NewGuid().ToString("N"), ClaimDuration, cancellationToken).ConfigureAwait(false);
        switch (claim)
        {
            case CreateClaimResult.Lost lost:
                var wait = lost.ExpiresAt - time.GetUtcNow();
                throw new ReconciliationException(new ReconciliationError(
                    WorkItemResult.RetryLater, "CreateInProgress",
                    $"Another worker is creating {context.Describe()} right now; this item is retried after it has finished.",
                    RetryAfter: wait < TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : wait > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait));
            case CreateClaimResult.Changed:
                throw new StateConflictException(context.Describe());
        }

        var claimed = ((CreateClaimResult.Won)claim).Row;
        var saved = false;
        try
        {
            var (hit, matchedBy) = await MatchAsync(context, mapped, cancellationToken).ConfigureAwait(false);
            ScimResource resource;
            ScimAttributes before;
            if (hit is null)
            {
                (resource, before, matchedBy) = await CreateAsync(context, desired, cancellationToken).ConfigureAwait(false);
                if (matchedBy == "created" && job.Definition.Target.ReadBackCreates)
                {
                    await ReadBackCreatedAsync(context, resource.Id, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                resource = hit;
                before = hit.Attributes;
            }

            if (matchedBy != "created")
            {
                await LinkAsync(context, resource.Id, mapped.Matching.FirstOrDefault(m => string.Equals(m.Target, matchedBy, StringComparison.OrdinalIgnoreCase)), cancellationToken).ConfigureAwait(false);
            }

            record.TargetId = resource.Id;
            ScimAttributes confirmed;
            var changed = ChangedPaths(before, desired);
            if (matchedBy == "created")
            {
                record.Action = ProvisioningAction.Create;
                confirmed = Confirm(context, mapped, ScimAttributes.Empty, desired, changed, resource.Attributes);
                record.ModifiedProperties = Modified(ScimAttributes.Empty, desired, changed, mapped);
                record.Step(ProvisioningStepType.Export, ProvisioningStatus.Success, "EntryExportAdd",
                    $"Created {item.Kind} {resource.Id} in the target with {desired.Count} attributes{(item.Kind == ObjectKind.Group ? " and no members (members follow in their own items)" : string.Empty)}.");
            }
            else
            {
                record.Action = ProvisioningAction.Update;
                var returned = await client.UpdateAsync(item.Kind, resource.Id, before, desired, cancellationToken).ConfigureAwait(false);
                confirmed = Confirm(context, mapped, before, desired, changed, returned?.Attributes);
                record.ModifiedProperties = Modified(before, desired, changed, mapped);
                record.Step(ProvisioningStepType.Export, ProvisioningStatus.Success, "EntryExportUpdate",
                    changed.Count == 0
                        ? $"Adopted {item.Kind} {resource.Id}; it already had every mapped value."
                        : $"Adopted {item.Kind} {resource.Id} and updated the {changed.Count} attribute(s) that differed.");
            }

            // The same write releases the claim.
            var recorded = claimed.Value with
            {
                TargetId = resource.Id,
                MatchedBy = matchedBy,
                LastApplied = confirmed,
                AppliedHash = AppliedStateHash.Of(confirmed),
                Status = StatusOf(confirmed),
                CreatedOrAdopted = true,
                Claim = null,
            };
            if (matchedBy == "created")
            {
                await SaveCreatedAsync(context, recorded, claimed.ETag, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await SaveAsync(context, recorded, claimed.ETag, cancellationToken).ConfigureAwait(false);
            }

            saved = true;
            await ReleaseAwaitingGroupsAsync(context, current?.Value, cancellationToken).ConfigureAwait(false);
            if (current?.Value.TargetId is { } previous && previous != resource.Id)
            {
                snapshots.Forget(job.Id, item.Kind);
                await RejoinGroupsAsync(context, previous, resource.Id, cancellationToken).ConfigureAwait(false);
            }

            snapshots.Provisioned(job.Id, item.Kind, item.SourceId, resource.Id);
            return WorkItemResult.Succeeded;
        }
        finally
        {
            if (!saved)
            {
                await objects.ReleaseCreateClaimAsync(claimed, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Makes the target object this source object's before anything is written to it or recorded: a target object that
    /// another source object of the job already holds (both map to the same matching value) fails this one and is left
    /// as it is, instead of being adopted and overwritten.
    /// </summary>
    private async Task LinkAsync(ReconciliationContext context, TargetId target, MatchingValue? matched, CancellationToken cancellationToken)
    {
        var (job, item, _, record) = context;
        if (await links.LinkAsync(job.Id, item.Kind, target, item.SourceId, cancellationToken).ConfigureAwait(false) is not TargetLinkResult.HeldBy held)
        {
            return;
        }

        var holder = (await objects.GetAsync(job.Id, item.Kind, held.Owner, cancellationToken).ConfigureAwait(false))?.Value;
        var error = TargetMatch.DuplicateSourceError(item.Kind, target, context.Describe(), held.Owner, holder?.DisplayName,
            matched is null ? null : (matched.Target, ScimValues.Text(matched.Value)));
        record.Step(ProvisioningStepType.Matching, ProvisioningStatus.Failure, "EntryMatching", error.Reason);
        throw new ReconciliationException(error);
    }

    /// <summary>
    /// The object now has a new target id: every membership edge that pointed to the old one is no longer applied, and
    /// its groups are due now, so the next cycle adds the new id.
    /// </summary>
    private async Task RejoinGroupsAsync(ReconciliationContext context, TargetId previous, TargetId current, CancellationToken cancellationToken)
    {
        var (job, item, _, record) = context;
        var groups = new List<PendingRecord>();
        await foreach (var edge in memberships.ListEdgesOfMemberAsync(job.Id, item.SourceId, cancellationToken).ConfigureAwait(false))
        {
            if (edge.Applied)
            {
                await memberships.SetAppliedAsync(job.Id, edge.Group, [new AppliedEdge(item.SourceId, item.Kind, false)], cancellationToken).ConfigureAwait(false);
            }

            if (edge.Desired)
            {
                groups.Add(new PendingRecord(ObjectKind.Group, edge.Group, null, MembersPending: true, time.GetUtcNow(), null));
            }
        }

        if (groups.Count > 0)
        {
            await objects.RecordPendingAsync(job.Id, groups, cancellationToken).ConfigureAwait(false);
            record.Step(ProvisioningStepType.ReferenceResolution, ProvisioningStatus.Success, "MembershipsReset",
                $"{item.Kind} {previous} was re-created as {current}; its {groups.Count} group membership(s) are sent again with the new id.");
        }
    }

    private static async Task<(ScimResource? Hit, string? MatchedBy)> MatchAsync(
        ReconciliationContext context, MappingResult mapped, CancellationToken cancellationToken)
    {
        var (_, item, client, record) = context;
        var match = await TargetMatch.FindAsync(client, item, mapped, cancellationToken).ConfigureAwait(false);
        foreach (var probe in match.Probes)
        {
            switch (probe.Found.Count)
            {
                case 0 when probe.Listed:
                    record.Step(ProvisioningStepType.Matching, ProvisioningStatus.Success, "EntryMatching",
                        $"No {item.Kind} in the target has {probe.Attribute} eq \"{probe.Value}\": the listing of the target's {item.Kind}s taken by cycle {item.CycleId} holds none.");
                    break;
                case 0:
                    record.Step(ProvisioningStepType.Matching, ProvisioningStatus.Success, "EntryMatching",
                        $"No {item.Kind} in the target has {probe.Attribute} eq \"{probe.Value}\".");
                    break;
                case 1:
                    record.Step(ProvisioningStepType.Matching, ProvisioningStatus.Success, "EntryMatching",
                        $"Matched {item.Kind} {probe.Found[0].Id} in the target on {probe.Attribute} eq \"{probe.Value}\".",
                        new Dictionary<string, string> { [probe.Attribute] = probe.Value });
                    return (probe.Found[0], probe.Attribute);
                default:
                    record.Step(ProvisioningStepType.Matching, ProvisioningStatus.Failure, "EntryMatching",
                        $"{probe.Found.Count} {item.Kind}s in the target match {probe.Attribute} eq \"{probe.Value}\": {string.Join(", ", probe.Found.Select(r => r.Id.Value))}.");
                    throw new ReconciliationException(TargetMatch.DuplicateError(probe, item.Kind, context.Describe()));
            }
        }

        return (null, null);
    }

    /// <summary>A 201 is a claim: an object the target cannot return by id right after is not recorded as created.</summary>
    private static async Task ReadBackCreatedAsync(ReconciliationContext context, TargetId id, CancellationToken cancellationToken)
    {
        try
        {
            await context.Client.GetAsync(context.Item.Kind, id, cancellationToken).ConfigureAwait(false);
        }
        catch (ScimException lost) when (lost.Classification == ScimErrorClassification.NotFound)
        {
            context.Record.Warn(ProvisioningStepType.Export, "CreateNotKept",
                $"The target answered 201 for {context.Describe()} as {context.Item.Kind} {id}, but reading it back by id answers 404.");
            throw new ReconciliationException(new ReconciliationError(
                WorkItemResult.RetryLater, "CreateNotKept",
                $"The target acknowledged the create of {context.Describe()} as {id} but does not hold it; it is not recorded as applied and is created again.",
                "If this repeats, the target is losing creates: check its own logs or status."));
        }
    }

    private static async Task<(ScimResource Resource, ScimAttributes Before, string MatchedBy)> CreateAsync(
        ReconciliationContext context, ScimAttributes desired, CancellationToken cancellationToken)
    {
        var (_, item, client, record) = context;
        var matchAttribute = client.Profile.MatchAttributeFor(item.Kind);
        if (desired[matchAttribute] is not { ValueKind: JsonValueKind.String })
        {
            return (await client.CreateAsync(item.Kind, desired, cancellationToken).ConfigureAwait(false), ScimAttributes.Empty, "created");
        }

        var result = await client.CreateOrAdoptAsync(item.Kind, desired, cancellationToken).ConfigureAwait(false);
        if (!result.Adopted)
        {
            return (result.Resource, ScimAttributes.Empty, "created");
        }

        record.Step(ProvisioningStepType.Matching, ProvisioningStatus.Success, "EntryConflictResolved",
            $"The target refused the create because {item.Kind} {result.Resource.Id} already exists with the same {matchAttribute} " +
            "(or the create's outcome was unknown); that object is adopted instead.");
        return (result.Resource, result.Resource.Attributes, matchAttribute);
    }

    private static ScimAttributes Confirm(
        ReconciliationContext context, MappingResult mapped, ScimAttributes before, ScimAttributes desired,
        List<string> sentPaths, ScimAttributes? returned)
    {
        if (returned is null || sentPaths.Count == 0)
        {
            // 204 No Content (or nothing sent): the target said nothing to check against.
            return desired;
        }

        var sent = ScimAttributes.From(desired.Values.Where(pair => sentPaths.Contains(pair.Key, StringComparer.OrdinalIgnoreCase)));
        var differences = ReturnedAttributeCheck.Differences(sent, returned);
        foreach (var (path, value, answer) in differences)
        {
            var redacted = mapped.RedactedPaths.Contains(path);
            var sentText = redacted ? ModifiedProperty.RedactedValue : ScimValues.Text(value);
            var answerText = answer is null ? "nothing" : redacted ? ModifiedProperty.RedactedValue : ScimValues.Text(answer);
            context.Record.NotKept(ProvisioningStepType.Export,
                $"The target accepted the request but did not keep '{path}': sent {sentText}, it returned {answerText}. " +
                "The value is not recorded as applied, so it is sent again next time.");
        }

        return ReturnedAttributeCheck.Confirmed(before, desired, differences.Select(d => d.Path));
    }

    /// <summary>Saves the applied state and, unless the target did not keep all of it, settles the item's change in the same write.</summary>
    private async Task SaveAsync(ReconciliationContext context, ObjectState state, Azure.ETag? expected, CancellationToken cancellationToken)
    {
        var settles = context.Record.Unapplied ? null : context.Item.ChangeId;
        var written = await objects.RecordSuccessAsync(state, expected, settles, cancellationToken).ConfigureAwait(false);
        if (written.IsConflict)
        {
            throw new StateConflictException(context.Describe());
        }

        context.Record.ChangeSettled = settles is not null;
    }

    /// <summary>
    /// Saves the state of an object this worker's create just made together with its link. A target object linked
    /// already (another source object adopted it between the create and now) is settled as an adoption's is, then saved.
    /// </summary>
    private async Task SaveCreatedAsync(ReconciliationContext context, ObjectState state, Azure.ETag expected, CancellationToken cancellationToken)
    {
        var settles = context.Record.Unapplied ? null : context.Item.ChangeId;
        switch (await objects.RecordCreatedAsync(state, expected, settles, cancellationToken).ConfigureAwait(false))
        {
            case CreatedRecordResult.Recorded:
                context.Record.ChangeSettled = settles is not null;
                return;
            case CreatedRecordResult.RowChanged:
                throw new StateConflictException(context.Describe());
            default:
                await LinkAsync(context, state.TargetId!.Value, null, cancellationToken).ConfigureAwait(false);
                await SaveAsync(context, state, expected, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>The mapped attributes whose desired value differs from <paramref name="before"/>: what a PATCH sends.</summary>
    internal static List<string> ChangedPaths(ScimAttributes before, ScimAttributes desired) =>
        desired.Values
            .Where(pair => before[pair.Key] is not { } old
                ? pair.Value.ValueKind != JsonValueKind.Null
                : !JsonElement.DeepEquals(old, pair.Value))
            .Select(pair => pair.Key)
            .ToList();

    /// <summary>The changed attributes as the log shows them, old -> new, redacted values hidden.</summary>
    internal static IReadOnlyList<ModifiedProperty> Modified(ScimAttributes before, ScimAttributes desired, IReadOnlyCollection<string> changed, MappingResult mapped)
    {
        var old = ScimAttributes.From(before.Values.Where(pair => changed.Contains(pair.Key, StringComparer.OrdinalIgnoreCase)));
        var wanted = ScimAttributes.From(desired.Values.Where(pair => changed.Contains(pair.Key, StringComparer.OrdinalIgnoreCase)));
        return ModifiedProperty.Between(old, wanted, mapped.RedactedPaths);
    }

    private static ObjectStatus StatusOf(ScimAttributes applied) =>
        applied["active"] is { ValueKind: JsonValueKind.False } ? ObjectStatus.Disabled : ObjectStatus.Provisioned;
}
