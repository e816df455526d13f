using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Staging;
using ScimSync.Core.State.Watermarks;

namespace ScimSync.Core.Cycle;

/// <summary>
/// Reads one cycle's changes and decides what to do, without writing anything: groups then users from their
/// watermarks (or in full), assignments diffed against the last snapshot, scope per object, the guards, and the work
/// items. <see cref="SyncCycleRunner"/> commits the plan; a dry run only reports it.
/// </summary>
/// <remarks>
/// Memory: groups are read first so that the membership graph is complete when users stream in; each user is scoped
/// as its page arrives and only objects that lead to work (in scope, or known to the job and leaving it) are kept.
/// Each holds the object's selected attributes (about 1 KB for a user with Atlassian's mappings). Once more than
/// <see cref="SyncCycleOptions.MaxHeldObjects"/> are held, and no full read can still fall under its floor, the users'
/// upserts are handed to <see cref="SendAhead"/> and only their ids are kept. Besides that, the cycle holds the
/// membership graph (about 150 bytes per edge) and, on a full read, the ids the job already knows.
/// </remarks>
public sealed partial class CyclePlanner(
    JobDirectoryClients directories,
    IAssignmentSnapshotStore assignmentSnapshots,
    SourceMembershipStore sourceMemberships,
    WatermarkStore watermarks,
    ObjectStateStore objects,
    MembershipStore memberships,
    Reconciliation.MatchListing matchListing,
    IOptions<SyncCycleOptions> options,
    TimeProvider timeProvider,
    ILogger<CyclePlanner> logger)
{
    /// <summary>Upserts sent ahead at once.</summary>
    private const int SendAheadBatch = 1_000;

    private readonly int _maxHeld = options.Value.MaxHeldObjects;

    /// <summary>Plans one cycle of <paramref name="job"/>.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cycleId">The cycle's id (part of every work item's id).</param>
    /// <param name="forceFull">Ignore the stored watermarks.</param>
    /// <param name="deletionsHeld">Earlier deprovisions are still held: stage this cycle's too.</param>
    /// <param name="sendAhead">Where users' upserts go while the cycle reads, when it holds too many; null to hold the whole plan (a dry run).</param>
    /// <param name="cancellationToken">Cancels the cycle.</param>
    internal async Task<CyclePlan> PlanAsync(
        ProvisioningJob job, string cycleId, bool forceFull, bool deletionsHeld, SendAhead? sendAhead, CancellationToken cancellationToken)
    {
        var state = new PlanState(job, cycleId, timeProvider.GetUtcNow());
        var directory = directories.For(job);
        var scope = job.Definition.Scope;

        // Graph has no delta for assignments: read them all and diff with the last snapshot.
        if (scope.Mode == ScopeMode.Assigned)
        {
            state.Assignments = await directory.Assignments.ReadAsync(scope.ServicePrincipalId!, cancellationToken);
        }

        var assignments = state.Assignments ?? AssignmentSnapshot.Empty;
        var previousAssignments = forceFull ? null : await assignmentSnapshots.GetAsync(job.Id, cancellationToken);
        var loadedEdges = await sourceMemberships.LoadAsync(job.Id, cancellationToken);
        var graph = SourceMembershipStore.ToGraph(loadedEdges.Edges);
        var evaluator = new ScopeEvaluator(scope, graph, $"{job.SettingPath}.scope");

        var groupMark = await watermarks.GetAsync(job.Id, WatermarkKind.Groups, cancellationToken);
        var groupRead = await ReadKindAsync(directory.Directory, job, ObjectKind.Group, groupMark, forceFull,
            onFullRead: async () =>
            {
                // A full read lists every membership again: start the graph from nothing.
                graph = new InMemoryMembershipGraph();
                evaluator = new ScopeEvaluator(scope, graph, $"{job.SettingPath}.scope");
                state.ResetKind(ObjectKind.Group);
                await LoadKnownAsync(job.Id, ObjectKind.Group, state, cancellationToken);
            },
            onChange: change =>
            {
                graph.Apply(change);
                switch (change)
                {
                    case ObjectUpserted upserted:
                        state.GroupSources[upserted.Source.Id] = state.GroupSources.TryGetValue(upserted.Source.Id, out var earlier)
                            ? upserted.Source.Attributes.Aggregate(earlier, (merged, attribute) => merged.With(attribute.Key, attribute.Value))
                            : upserted.Source;
                        break;
                    case MembershipAdded or MembershipRemoved when !state.FullGroupRound:
                        state.MembershipChanges.Add(change);
                        break;
                    case ObjectSoftDeleted or ObjectHardDeleted:
                        state.Decide(ScopeEvaluator.ForRemoval(change));
                        break;
                }

                return Task.CompletedTask;
            },
            cancellationToken);

        foreach (var group in state.GroupSources.Values)
        {
            await ScopeAsync(state, evaluator, group, assignments, cancellationToken);
        }

        var userMark = await watermarks.GetAsync(job.Id, WatermarkKind.Users, cancellationToken);
        var userRead = await ReadKindAsync(directory.Directory, job, ObjectKind.User, userMark, forceFull,
            onFullRead: async () =>
            {
                state.ResetKind(ObjectKind.User);
                await LoadKnownAsync(job.Id, ObjectKind.User, state, cancellationToken);
            },
            onChange: async change =>
            {
                switch (change)
                {
                    case ObjectUpserted upserted:
                        await ScopeAsync(state, evaluator, upserted.Source, assignments, cancellationToken);
                        break;
                    case ObjectSoftDeleted or ObjectHardDeleted:
                        graph.Apply(change);
                        state.Decide(ScopeEvaluator.ForRemoval(change));
                        break;
                }
            },
            cancellationToken,
            onBatchRead: async (fullRound, readSoFar) =>
            {
                if (sendAhead is not null && _maxHeld > 0 && state.Decisions.Count > _maxHeld && MaySendAhead(state, groupRead, fullRound, readSoFar))
                {
                    await SendAheadAsync(state, sendAhead, cancellationToken);
                }
            });
        state.Reads.Add(groupRead);
        state.Reads.Add(userRead);

        // Guard 1: a full read that returns far fewer objects than the job knows is a bad read, not a purge.
        foreach (var read in state.Reads.Where(read => read.FullRead))
        {
            var known = state.Known.GetValueOrDefault(read.Kind)?.Count ?? 0;
            var verdict = CycleGuards.CheckFullRead(read.Kind, read.ObjectsRead, known, job.Definition.Policy.MinimumFullReadRatio, job.SettingPath);
            if (!verdict.Passed)
            {
                LogFullReadAborted(logger, job.Id, read.Kind, read.ObjectsRead, known);
                return new CyclePlan { AbortReason = verdict.Reason, Reads = state.Reads };
            }
        }

        // Objects whose scope changed without a change to the object: (un)assignments and membership changes. A full
        // read of groups adds every membership, so the graph stands for its changes rather than a copy of each.
        var affected = await evaluator.GetAffectedAsync(
            previousAssignments is null ? new AssignmentDiff([], []) : assignments.DiffFrom(previousAssignments),
            groupRead.FullRead ? graph.Memberships() : state.MembershipChanges, assignments, cancellationToken);
        foreach (var kind in (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            var ids = affected.Where(member => member.Kind == kind && !state.Decided.Contains(member.Id)).Select(member => member.Id).ToList();
            if (ids.Count == 0)
            {
                continue;
            }

            await foreach (var source in directory.Directory.GetObjectsAsync(kind, ids, Attributes(job, kind), cancellationToken))
            {
                await ScopeAsync(state, evaluator, source, assignments, cancellationToken);
            }
        }

        // Level-triggered: every change no worker has settled (a lost, poisoned or refused message, a value the target did
        // not keep) and every object in escrow is enqueued again once its retry is due, with its current attributes.
        var membersDue = new Dictionary<SourceId, Versioned<ObjectState>>();
        foreach (var kind in (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            var due = new Dictionary<SourceId, ObjectState>();
            await foreach (var row in objects.ListDueAsync(job.Id, kind, cancellationToken))
            {
                if (row.Value.MembersPending)
                {
                    membersDue[row.Value.SourceId] = row;
                }

                if ((row.Value.Pending is not null || row.Value.EscrowCount > 0) && !state.Decided.Contains(row.Value.SourceId))
                {
                    due[row.Value.SourceId] = row.Value;
                    state.Redriven[row.Value.SourceId] = row.Value.Pending;
                }
            }

            if (due.Count == 0)
            {
                continue;
            }

            var found = new HashSet<SourceId>();
            await foreach (var source in directory.Directory.GetObjectsAsync(kind, due.Keys, Attributes(job, kind), cancellationToken))
            {
                found.Add(source.Id);
                await ScopeAsync(state, evaluator, source, assignments, cancellationToken);
            }

            // Gone from the directory: a pending deprovision or delete still stands; a pending upsert waits for the delta's removal.
            foreach (var (id, row) in due.Where(pair => !found.Contains(pair.Key)))
            {
                if (row.Pending is { Operation: WorkOperation.Deprovision or WorkOperation.Delete } gone)
                {
                    state.Decide(new ScopeDecision(id, kind, gone.Operation == WorkOperation.Delete ? ScopeAction.Delete : ScopeAction.Deprovision,
                        gone.Operation == WorkOperation.Delete ? ScopeReason.HardDeleted : ScopeReason.SoftDeleted,
                        $"{kind} {id} is no longer in the directory; its pending {gone.Operation} is sent again"));
                }
            }
        }

        // A full read returns every object: the ones the job knows that it did not return were deleted meanwhile.
        foreach (var read in state.Reads.Where(read => read.FullRead))
        {
            foreach (var (id, _) in state.Known[read.Kind].Where(known => !state.Decided.Contains(known.Key)))
            {
                state.Decide(new ScopeDecision(id, read.Kind, ScopeAction.Deprovision, ScopeReason.SoftDeleted,
                    $"{read.Kind} {id} was not returned by a full read of the directory: it was deleted in Entra ID"));
            }
        }

        var items = new List<WorkItem>();
        var deprovisions = new List<(ScopeDecision Decision, WorkOperation Operation)>();
        var policy = job.Definition.Policy;
        foreach (var decision in state.Decisions.Values)
        {
            if (decision.Kind == ObjectKind.Group && !policy.ProvisionGroups)
            {
                continue;
            }

            if (decision.Action == ScopeAction.Upsert)
            {
                items.Add(state.Upsert(decision));
                continue;
            }

            // Entra's SkipOutOfScopeDeletions: nothing that leaves scope is touched.
            if (policy.Deprovision == DeprovisionMode.None)
            {
                continue;
            }

            var operation = decision.Action == ScopeAction.Delete && policy.Deprovision == DeprovisionMode.DeleteWhenHardDeleted
                ? WorkOperation.Delete
                : WorkOperation.Deprovision;
            if (await MayTouchAsync(job.Id, decision, operation, state, cancellationToken))
            {
                deprovisions.Add((decision, operation));
            }
        }

        // Guard 2: more deprovisions than the threshold (or any while earlier ones are held) are staged, not enqueued.
        var staged = new List<StagedAction>();
        var threshold = deprovisions.Count == 0
            ? policy.DeletionThreshold
            : CycleGuards.DeletionThreshold(policy.DeletionThreshold, policy.DeletionThresholdPercent, await CountManagedAsync(job.Id, state, cancellationToken));
        if (CycleGuards.MustStageDeprovisions(deprovisions.Count, threshold, deletionsHeld))
        {
            staged.AddRange(deprovisions.Select(d => new StagedAction(
                job.Id, d.Decision.Id, d.Decision.Kind, d.Operation, d.Decision.Explanation, cycleId, state.Now,
                d.Decision.Source?.GetString("displayName"))));
            LogDeprovisionsStaged(logger, job.Id, staged.Count, threshold);
        }
        else
        {
            items.AddRange(deprovisions.Select(d => d.Operation == WorkOperation.Delete
                ? WorkItem.Delete(job.Id, cycleId, d.Decision.Kind, d.Decision.Id, state.Now, state.GenerationOf(d.Decision.Id))
                : WorkItem.Deprovision(job.Id, cycleId, d.Decision.Kind, d.Decision.Id, d.Decision.Source, state.Now, state.GenerationOf(d.Decision.Id))));
        }

        var desired = new Dictionary<SourceId, IReadOnlyList<DesiredEdge>>();
        var chunks = 0;
        IReadOnlyList<Versioned<ObjectState>> membersSettled = [];
        if (policy.ProvisionGroups && job.Mappings.Groups.ProvisionsMembers)
        {
            var groups = await GroupsToSyncAsync(job, evaluator, graph, state, assignments, groupRead.FullRead, cancellationToken);
            foreach (var group in membersDue.Keys.Except(groups))
            {
                // Members no worker settled: send again what the stored edges still differ on.
                var redriven = await RedriveMembershipAsync(job, cycleId, group, state, cancellationToken);
                items.AddRange(redriven);
                chunks += redriven.Count;
                if (redriven.Count > 0)
                {
                    state.MembersPending.Add(group);
                }
            }

            foreach (var group in groups)
            {
                var (groupDesired, groupItems) = await PlanMembershipAsync(job, cycleId, group, evaluator, state, cancellationToken);
                if (groupDesired.Count > 0)
                {
                    desired[group] = groupDesired;
                }

                items.AddRange(groupItems);
                chunks += groupItems.Count;
                if (groupItems.Count > 0)
                {
                    state.MembersPending.Add(group);
                }
            }

            // A group marked due whose stored edges no longer differ from the source's (its last slice settled them but
            // could not clear the mark) has nothing left to send.
            membersSettled = membersDue.Where(due => !state.MembersPending.Contains(due.Key)).Select(due => due.Value).ToList();
        }

        items = await MarkAbsentAsync(state, items, cancellationToken);
        items = WithoutTooLarge(state, items);

        // Slices go out a little after the members they add, as many items after as twice the workers take at once.
        items = WorkItemOrder.Arrange(items, lag: 2 * policy.MaxConcurrency);
        return new CyclePlan
        {
            Items = new Queue<WorkItem>(items),
            ItemCount = state.SentAheadItems + items.Count,
            Staged = staged,
            DesiredEdges = desired,
            Reads = state.Reads,
            Assignments = state.Assignments,
            StoredEdges = loadedEdges,
            Graph = graph,
            Failures = state.Failures,
            StartedWithoutState = state.Reads.All(read => read.FullRead && read.StartedFrom is null)
                && state.Known.Values.All(known => known.Count == 0),
            TargetUsersListed = state.MatchValues?.TargetUsers,
            Pending = Pending(state, items),
            SentAhead = state.SentAheadItems,
            Upserts = items.Count(item => item.Operation == WorkOperation.Upsert) + state.SentAheadItems,
            Deprovisions = deprovisions.Count(d => d.Operation == WorkOperation.Deprovision),
            Deletes = deprovisions.Count(d => d.Operation == WorkOperation.Delete),
            MembershipChunks = chunks,
            MembersSettled = membersSettled,
        };
    }

    /// <summary>Scopes one object; a scoping filter that cannot be evaluated for it (a regex that times out) fails that object only.</summary>
    private static async Task ScopeAsync(PlanState state, ScopeEvaluator evaluator, SourceObject source, AssignmentSnapshot assignments, CancellationToken cancellationToken)
    {
        try
        {
            state.Decide(await evaluator.EvaluateAsync(source, assignments, cancellationToken));
        }
        catch (Exception failure) when (failure is RegexMatchTimeoutException or ScopeEvaluationException)
        {
            state.Fail(source.Kind, source.Id, source, "ScopingFilterFailed",
                $"The job's scoping filters could not be evaluated for this {source.Kind}: {failure.Message}",
                "Simplify the scoping filter's regular expression (or raise scope.regexTimeout); the object is tried again in later cycles.");
        }
    }

    /// <summary>What the cycle records before it enqueues the rest of its plan: each object's change, and the groups with members to send.</summary>
    private static Dictionary<(ObjectKind Kind, SourceId SourceId), PendingRecord> Pending(PlanState state, IReadOnlyList<WorkItem> items)
    {
        var records = Changes(state, items);
        var withChange = records.Select(record => record.SourceId).ToHashSet();
        records.AddRange(state.MembersPending.Where(group => !withChange.Contains(group))
            .Select(group => new PendingRecord(ObjectKind.Group, group, null, true, state.Now, null)));
        var byObject = new Dictionary<(ObjectKind Kind, SourceId SourceId), PendingRecord>(records.Count);
        foreach (var record in records)
        {
            byObject[(record.Kind, record.SourceId)] = record;
        }

        return byObject;
    }

    /// <summary>What the cycle records for each object before it enqueues the object's work.</summary>
    private static List<PendingRecord> Changes(PlanState state, IReadOnlyList<WorkItem> items)
    {
        var records = new List<PendingRecord>();
        foreach (var item in items.Where(item => item.Operation != WorkOperation.MembershipChunk))
        {
            var earlier = state.Redriven.GetValueOrDefault(item.SourceId);
            var change = earlier is not null && item.Generation > 0
                ? earlier with { Redrives = item.Generation, Operation = item.Operation, ChangeId = item.ChangeId }
                : new PendingChange(item.Operation, item.ChangeId, state.Now);
            records.Add(new PendingRecord(item.Kind, item.SourceId, change, state.MembersPending.Contains(item.SourceId), state.Now, NameOf(item.Snapshot),
                NoRowYet: item.Operation == WorkOperation.Upsert && earlier is null && state.HasNoRow(item.Kind, item.SourceId)));
        }

        return records;
    }

    /// <summary>
    /// Whether the cycle may send upserts before its read ends: not while a full read (of groups, done, or of users, so
    /// far) is under the floor of guard 1, which can only be judged at the end and must stop the cycle before anything is sent.
    /// </summary>
    private static bool MaySendAhead(PlanState state, KindRead groupRead, bool fullUserRound, int usersReadSoFar)
    {
        var ratio = state.Job.Definition.Policy.MinimumFullReadRatio;
        return (!groupRead.FullRead || CycleGuards.CheckFullRead(ObjectKind.Group, groupRead.ObjectsRead, state.Known[ObjectKind.Group].Count, ratio, state.Job.SettingPath).Passed)
            && (!fullUserRound || CycleGuards.CheckFullRead(ObjectKind.User, usersReadSoFar, state.Known[ObjectKind.User].Count, ratio, state.Job.SettingPath).Passed);
    }

    /// <summary>
    /// Sends the users' upserts planned so far, until the cycle holds half as many objects as it may, and keeps only
    /// their ids. They go a batch at a time, so that what a send builds (messages, rows) stays small too.
    /// </summary>
    private async Task SendAheadAsync(PlanState state, SendAhead sendAhead, CancellationToken cancellationToken)
    {
        var job = state.Job;
        var held = state.HeldUserUpserts().ToList();
        var upserts = held.Take(state.Decisions.Count - (_maxHeld / 2)).ToList();
        if (state.Known.Count > 0 && state.MatchValues is null)
        {
            // The listing is taken once, before anything is sent, and weighed against the lookups of the users held
            // so far: it waits until they are half the hold, or against a target that already holds many users a
            // listing weighed against a page of them would be given up.
            if (held.Count < _maxHeld / 2)
            {
                return;
            }

            var groups = job.Definition.Policy.ProvisionGroups
                ? state.Decisions.Values.Where(decision => decision.Kind == ObjectKind.Group && decision.Action == ScopeAction.Upsert)
                : [];
            state.MatchValues = await matchListing.ListAsync(job, [.. held.Concat(groups).Select(state.Upsert)], state.Unmatched, state.Matched, cancellationToken);
        }

        if (state.SentAheadItems == 0)
        {
            LogSendingAhead(logger, job.Id, _maxHeld);
        }

        foreach (var batch in upserts.Chunk(SendAheadBatch))
        {
            var items = WithoutTooLarge(state, await MarkAbsentAsync(state, [.. batch.Select(state.Upsert)], cancellationToken));
            await sendAhead(items, Changes(state, items), cancellationToken);
            foreach (var item in items)
            {
                state.Decisions.Remove(item.SourceId);
                state.SentAhead.Add(item.SourceId);
            }

            state.SentAheadItems += items.Count;
        }
    }

    /// <summary>
    /// After a full read, objects without a target object are matched from one listing of the target where that is
    /// cheaper than a lookup each (an initial sync, a lost state store): the listing is taken once per cycle.
    /// </summary>
    private async Task<List<WorkItem>> MarkAbsentAsync(PlanState state, List<WorkItem> items, CancellationToken cancellationToken)
    {
        if (state.Known.Count == 0)
        {
            return items;
        }

        state.MatchValues ??= await matchListing.ListAsync(state.Job, items, state.Unmatched, state.Matched, cancellationToken);
        return [.. matchListing.MarkAbsent(state.Job, state.MatchValues, items, state.Unmatched)];
    }

    /// <summary>A work item too large for a message fails its own object only; the cycle and everyone else go on.</summary>
    private static List<WorkItem> WithoutTooLarge(PlanState state, List<WorkItem> items)
    {
        foreach (var item in items.Where(item => item.Snapshot is not null && WorkItemSerializer.MeasureBytes(item) > WorkItemSerializer.MaxMessageBytes).ToList())
        {
            items.Remove(item);
            state.Fail(item.Kind, item.SourceId, item.Snapshot!, "WorkItemTooLarge",
                $"The {item.Kind} has {WorkItemSerializer.MeasureBytes(item):N0} bytes of source attributes, more than a queue message holds ({WorkItemSerializer.MaxMessageBytes:N0} bytes); its largest attribute is '{item.Snapshot!.Attributes.MaxBy(pair => pair.Value.GetRawText().Length).Key}'.",
                "Shorten the attribute in Entra ID, or stop mapping it; the object is tried again in later cycles.");
        }

        return items;
    }

    private static string? NameOf(SourceObject? source) => source?.GetString("userPrincipalName") ?? source?.GetString("displayName");

    /// <summary>The objects the job may deprovision: created or adopted, with a target id, not deleted.</summary>
    private async Task<int> CountManagedAsync(JobId job, PlanState state, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var kind in (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            if (state.Known.TryGetValue(kind, out var known))
            {
                count += known.Values.Count(k => k.MayDeprovision);
                continue;
            }

            await foreach (var row in objects.ListAsync(job, kind, cancellationToken))
            {
                count += row.Value.MayDeprovision && row.Value.Status != ObjectStatus.Deleted ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>Membership slices for what a group's stored edges still differ on: desired and not applied, or applied and no longer desired.</summary>
    private async Task<IReadOnlyList<WorkItem>> RedriveMembershipAsync(ProvisioningJob job, string cycleId, SourceId group, PlanState state, CancellationToken cancellationToken)
    {
        var add = new List<MemberReference>();
        var remove = new List<MemberReference>();
        var desired = 0;
        await foreach (var edge in memberships.ListAsync(job.Id, group, cancellationToken))
        {
            desired += edge.Desired ? 1 : 0;
            if (edge.IsPending)
            {
                (edge.Desired ? add : remove).Add(new MemberReference(edge.Member, edge.MemberKind));
            }
        }

        return MembershipChunkSplitter.Split(
            job.Id, cycleId, group, add, remove, state.Now, generation: state.GenerationOf(group) + 1, desiredMemberCount: desired);
    }

    /// <summary>The Graph attributes the job's mappings and scoping filters read for <paramref name="kind"/>.</summary>
    internal static IReadOnlyCollection<string> Attributes(ProvisioningJob job, ObjectKind kind) =>
        job.Mappings.For(kind).GraphSelect
            .Concat(job.Definition.Scope.Filters.Where(filter => filter.AppliesTo == kind).SelectMany(filter => filter.Clauses).Select(clause => clause.Attribute))
            .Append("displayName")
            .Where(name => !string.IsNullOrWhiteSpace(name))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    private async Task<KindRead> ReadKindAsync(
        GraphDirectoryReader reader, ProvisioningJob job, ObjectKind kind, Versioned<Watermark>? mark, bool forceFull,
        Func<Task> onFullRead, Func<DirectoryChange, Task> onChange, CancellationToken cancellationToken, Func<bool, int, Task>? onBatchRead = null)
    {
        // The stored watermark is read even when ignored: its ETag guards the save at the end of the cycle.
        var link = forceFull ? null : mark?.Value.DeltaLink;
        if (link is null)
        {
            await onFullRead();
        }

        while (true)
        {
            var read = new HashSet<SourceId>();
            DeltaRoundEnd? end = null;
            await foreach (var batch in reader.ReadAsync(new DeltaReadRequest(kind, link, Attributes(job, kind)), cancellationToken))
            {
                foreach (var change in batch.Changes)
                {
                    if (change is ObjectUpserted upserted)
                    {
                        read.Add(upserted.Source.Id);
                    }

                    await onChange(change);
                }

                if (onBatchRead is not null)
                {
                    await onBatchRead(link is null, read.Count);
                }

                end = batch.End;
            }

            switch (end)
            {
                case DeltaRoundCompleted completed:
                    return new KindRead(kind, completed.DeltaLink, link is null, read.Count, mark);
                case DeltaResyncRequired resync when link is not null:
                    // The token expired or Graph asked for a full synchronization: read from scratch in this cycle.
                    LogResync(logger, job.Id, kind, resync.Reason);
                    link = null;
                    await onFullRead();
                    break;
                case DeltaResyncRequired resync:
                    throw new InvalidDataException($"Graph asked for a resync of {kind} objects during a full read: {resync.Reason}");
                default:
                    throw new InvalidDataException($"The {kind} delta read ended without a deltaLink; the watermark stays where it was.");
            }
        }
    }

    /// <summary>Only objects ScimSync created or adopted, and has not already deactivated or deleted, are ever touched.</summary>
    private async Task<bool> MayTouchAsync(JobId job, ScopeDecision decision, WorkOperation operation, PlanState state, CancellationToken cancellationToken)
    {
        KnownObject? known;
        if (state.Known.TryGetValue(decision.Kind, out var map))
        {
            known = map.TryGetValue(decision.Id, out var found) ? found : null;
        }
        else
        {
            var row = await objects.GetAsync(job, decision.Kind, decision.Id, cancellationToken);
            known = row is null ? null : KnownObject.From(row.Value);
        }

        return known is { MayDeprovision: true } k && k.Status != ObjectStatus.Deleted
            && (operation == WorkOperation.Delete || k.Status != ObjectStatus.Disabled);
    }

    private async Task LoadKnownAsync(JobId job, ObjectKind kind, PlanState state, CancellationToken cancellationToken)
    {
        var known = new Dictionary<SourceId, KnownObject>();
        var rows = new HashSet<SourceId>();
        await foreach (var row in objects.ListAsync(job, kind, cancellationToken))
        {
            rows.Add(row.Value.SourceId);
            if (row.Value.Status != ObjectStatus.Deleted)
            {
                known[row.Value.SourceId] = KnownObject.From(row.Value);
            }
        }

        state.Known[kind] = known;
        state.Rows[kind] = rows;
    }

    /// <summary>
    /// The provisioned groups whose members must be compared: every in-scope group after a full group read; otherwise
    /// in-scope groups that changed, gained or lost members, or (when flattening) enclose a group that did.
    /// </summary>
    private async Task<IReadOnlyList<SourceId>> GroupsToSyncAsync(
        ProvisioningJob job, ScopeEvaluator evaluator, InMemoryMembershipGraph graph, PlanState state, AssignmentSnapshot assignments,
        bool fullGroupRead, CancellationToken cancellationToken)
    {
        var inScope = state.Decisions.Values.Where(d => d.Kind == ObjectKind.Group && d.Action == ScopeAction.Upsert).Select(d => d.Id).ToHashSet();
        if (fullGroupRead)
        {
            return [.. inScope];
        }

        var candidates = new HashSet<SourceId>();
        var pending = new Queue<SourceId>(state.MembershipChanges.Select(change => change switch
        {
            MembershipAdded added => added.GroupId,
            MembershipRemoved removed => removed.GroupId,
            _ => default,
        }).Distinct());
        while (pending.TryDequeue(out var group))
        {
            if (!candidates.Add(group) || !job.Definition.Scope.FlattenNestedGroups)
            {
                continue;
            }

            await foreach (var parent in graph.GetGroupsOfAsync(group, cancellationToken))
            {
                pending.Enqueue(parent);
            }
        }

        // Groups not decided this cycle did not change themselves, so only their membership can have: without group
        // scoping filters an assigned or listed group is in scope, so no Graph read is needed; with filters, scope
        // them with their current attributes (their own attributes are not enqueued).
        var undecided = candidates.Where(id => !state.Decided.Contains(id)).ToList();
        var scope = job.Definition.Scope;
        if (!scope.Filters.Any(filter => filter.AppliesTo == ObjectKind.Group))
        {
            inScope.UnionWith(undecided.Where(id => scope.Mode switch
            {
                ScopeMode.Assigned => assignments.IsAssigned(id),
                ScopeMode.Groups => scope.GroupIds.Contains(id.Value, StringComparer.OrdinalIgnoreCase),
                _ => true,
            }));
        }
        else if (undecided.Count > 0)
        {
            await foreach (var source in directories.For(job).Directory.GetObjectsAsync(ObjectKind.Group, undecided, Attributes(job, ObjectKind.Group), cancellationToken))
            {
                if ((await evaluator.EvaluateAsync(source, assignments, cancellationToken)).Action == ScopeAction.Upsert)
                {
                    inScope.Add(source.Id);
                }
            }
        }

        return [.. inScope.Where(id => candidates.Contains(id) || state.Decisions.ContainsKey(id))];
    }

    /// <summary>
    /// Compares the members the group should have in the target (users only; nested users too when flattening) with
    /// the stored edges: the edges whose desired state changes, and the chunks of members to add and remove.
    /// </summary>
    private async Task<(IReadOnlyList<DesiredEdge> Desired, IReadOnlyList<WorkItem> Items)> PlanMembershipAsync(
        ProvisioningJob job, string cycleId, SourceId group, ScopeEvaluator evaluator, PlanState state, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<SourceId, MembershipEdge>();
        await foreach (var edge in memberships.ListAsync(job.Id, group, cancellationToken))
        {
            stored[edge.Member] = edge;
        }

        var wanted = new HashSet<SourceId>();
        var scopedOut = new HashSet<SourceId>();
        await foreach (var member in evaluator.GetTargetMembersAsync(group, cancellationToken))
        {
            if (member.Kind != ObjectKind.User)
            {
                continue;
            }

            // A member scoped out (disabled, filtered, not assigned) will not exist in the target, so the group must
            // not wait for it: out this cycle, or out before and not read since (its edge is stored as not desired).
            var outNow = state.Decided.Contains(member.Id) && !state.IsUpserted(member.Id);
            var outBefore = !state.Decided.Contains(member.Id)
                && stored.TryGetValue(member.Id, out var earlier) && !earlier.Desired && !earlier.Applied;
            (outNow || outBefore ? scopedOut : wanted).Add(member.Id);
        }

        // Held until the group's first slice is sent: an array of exactly their number, not a list grown by doubling.
        DesiredEdge[] desired =
        [
            .. wanted.Where(id => !(stored.GetValueOrDefault(id)?.Desired ?? false)).Select(id => new DesiredEdge(id, ObjectKind.User, true)),
            .. scopedOut.Where(id => !stored.ContainsKey(id)).Select(id => new DesiredEdge(id, ObjectKind.User, false)),
            .. stored.Values.Where(edge => edge.Desired && !wanted.Contains(edge.Member)).Select(edge => new DesiredEdge(edge.Member, edge.MemberKind, false)),
        ];

        var add = wanted.Where(id => !(stored.GetValueOrDefault(id)?.Applied ?? false)).Select(id => new MemberReference(id, ObjectKind.User));
        var remove = stored.Values.Where(edge => edge.Applied && !wanted.Contains(edge.Member)).Select(edge => new MemberReference(edge.Member, edge.MemberKind));
        return (desired, MembershipChunkSplitter.Split(job.Id, cycleId, group, add, remove, state.Now, desiredMemberCount: wanted.Count));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: Graph asked for a full {Kind} resync ({Reason}); reading everything in this cycle")]
    private static partial void LogResync(ILogger logger, JobId job, ObjectKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: the cycle holds more than {MaxHeld} objects with work (ScimSync:Cycle:MaxHeldObjects); it sends users' upserts ahead while it reads")]
    private static partial void LogSendingAhead(ILogger logger, JobId job, int maxHeld);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job}: full {Kind} read returned {Read} objects while the job knows {Known}; cycle aborted before anything was enqueued")]
    private static partial void LogFullReadAborted(ILogger logger, JobId job, ObjectKind kind, int read, int known);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: {Count} deprovisions staged (threshold {Threshold}); nothing of them is enqueued until an admin allows it")]
    private static partial void LogDeprovisionsStaged(ILogger logger, JobId job, int count, int threshold);

    /// <summary>What a cycle knows about an object from its state row.</summary>
    private sealed record KnownObject(bool MayDeprovision, ObjectStatus Status, bool HasTarget)
    {
        public static KnownObject From(ObjectState state) => new(state.MayDeprovision, state.Status, state.TargetId is not null);
    }

    /// <summary>The cycle's working set while it plans.</summary>
    private sealed class PlanState(ProvisioningJob job, string cycleId, DateTimeOffset now)
    {
        public ProvisioningJob Job { get; } = job;

        public string CycleId { get; } = cycleId;

        public DateTimeOffset Now { get; } = now;

        public AssignmentSnapshot? Assignments { get; set; }

        public Dictionary<ObjectKind, Dictionary<SourceId, KnownObject>> Known { get; } = [];

        /// <summary>After a full read of a kind: every object of it with a state row, deleted ones too.</summary>
        public Dictionary<ObjectKind, HashSet<SourceId>> Rows { get; } = [];

        /// <summary>True when a full read of the object's kind found no state row for it.</summary>
        public bool HasNoRow(ObjectKind kind, SourceId id) => Rows.TryGetValue(kind, out var rows) && !rows.Contains(id);

        public Dictionary<SourceId, SourceObject> GroupSources { get; } = [];

        public List<DirectoryChange> MembershipChanges { get; } = [];

        /// <summary>True once the groups are read in full: their membership changes are then the graph itself, not kept apart.</summary>
        public bool FullGroupRound { get; set; }

        /// <summary>Decisions that lead to work; out-of-scope objects the job never provisioned are dropped at once.</summary>
        public Dictionary<SourceId, ScopeDecision> Decisions { get; } = [];

        /// <summary>Every object scoped this cycle, kept or not, so none is scoped twice.</summary>
        public HashSet<SourceId> Decided { get; } = [];

        public List<KindRead> Reads { get; } = [];

        /// <summary>Objects re-driven this cycle, with the pending change they had (null for an escrow without one).</summary>
        public Dictionary<SourceId, PendingChange?> Redriven { get; } = [];

        /// <summary>Groups whose membership items this cycle enqueues.</summary>
        public HashSet<SourceId> MembersPending { get; } = [];

        /// <summary>Objects that failed on their own while the cycle planned them.</summary>
        public List<ObjectFailure> Failures { get; } = [];

        /// <summary>Users whose upsert was sent while the cycle read.</summary>
        public HashSet<SourceId> SentAhead { get; } = [];

        /// <summary>How many work items were sent while the cycle read.</summary>
        public int SentAheadItems { get; set; }

        /// <summary>The target's listing, once the cycle took it.</summary>
        public Reconciliation.TargetMatchValues? MatchValues { get; set; }

        /// <summary>The users' upserts the cycle holds.</summary>
        public IEnumerable<ScopeDecision> HeldUserUpserts() =>
            Decisions.Values.Where(decision => decision.Kind == ObjectKind.User && decision.Action == ScopeAction.Upsert);

        /// <summary>True when the object's latest decision this cycle is an upsert, held or sent.</summary>
        public bool IsUpserted(SourceId id) =>
            Decisions.TryGetValue(id, out var decision) ? decision.Action == ScopeAction.Upsert : SentAhead.Contains(id);

        /// <summary>True for an item whose object a full read found without a target id.</summary>
        public bool Unmatched(WorkItem item) =>
            Known.TryGetValue(item.Kind, out var known) && !(known.TryGetValue(item.SourceId, out var k) && k.HasTarget);

        /// <summary>How many objects of a kind the job knows with a target id, after a full read of it.</summary>
        public int Matched(ObjectKind kind) => Known.TryGetValue(kind, out var known) ? known.Values.Count(k => k.HasTarget) : 0;

        /// <summary>The work item of an upsert decision.</summary>
        public WorkItem Upsert(ScopeDecision decision) => WorkItem.Upsert(Job.Id, CycleId, decision.Source!, Now, GenerationOf(decision.Id));

        /// <summary>The re-drive generation of an object's work: 0 for a new change, one more than before for a re-drive.</summary>
        public int GenerationOf(SourceId id) => Redriven.TryGetValue(id, out var pending) ? (pending?.Redrives ?? 0) + 1 : 0;

        public void Fail(ObjectKind kind, SourceId id, SourceObject source, string code, string reason, string action)
        {
            Decided.Add(id);
            Decisions.Remove(id);
            Failures.Add(new ObjectFailure(kind, id, NameOf(source), code, reason, action));
        }

        public void Decide(ScopeDecision decision)
        {
            Decided.Add(decision.Id);
            var unknownAndOut = decision.Action != ScopeAction.Upsert
                && Known.TryGetValue(decision.Kind, out var known) && !known.ContainsKey(decision.Id);
            if (unknownAndOut)
            {
                Decisions.Remove(decision.Id);
                return;
            }

            Decisions[decision.Id] = decision;
        }

        /// <summary>A full read of <paramref name="kind"/> starts: what the cycle decided of that kind is forgotten.</summary>
        public void ResetKind(ObjectKind kind)
        {
            foreach (var id in Decisions.Values.Where(d => d.Kind == kind).Select(d => d.Id).ToList())
            {
                Decisions.Remove(id);
                Decided.Remove(id);
            }

            if (kind == ObjectKind.Group)
            {
                GroupSources.Clear();
                MembershipChanges.Clear();
                FullGroupRound = true;
            }
            else
            {
                SentAhead.Clear();
            }
        }
    }
}
