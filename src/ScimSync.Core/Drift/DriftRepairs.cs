using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.State;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Drift;

/// <summary>
/// Turns a drift scan's findings into pending changes the next cycle applies: the object's record is set to what the
/// target holds (or forgotten, for a lost object), so the cycle's own compare sends exactly what drifted; member edges
/// are no longer recorded as applied (or as removed), and their groups are due now.
/// </summary>
internal sealed partial class DriftRepairs(ObjectStateStore objects, MembershipStore memberships, TargetIdSnapshots snapshots, TimeProvider timeProvider, ILogger logger)
{
    // The code the worker records for a value the target acknowledged and did not keep.
    private const string NotKeptCode = "AttributeNotKept";

    /// <summary>Records each difference as a change for the next cycle; returns the findings whose repair was recorded.</summary>
    public async Task<List<DriftFinding>> RepairAsync(
        JobId job, string scanId, List<DriftFinding> findings, List<Versioned<ObjectState>> users, List<Versioned<ObjectState>> groups,
        CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var rows = users.Concat(groups).ToDictionary(row => (row.Value.Kind, row.Value.SourceId));
        var repaired = new List<DriftFinding>();
        var groupsWithMembers = new Dictionary<SourceId, string?>();

        foreach (var objectFindings in findings
                     .Where(finding => finding.SourceId is not null && finding.Kind is not (DriftKind.MembersMissing or DriftKind.MembersExtra))
                     .GroupBy(finding => (finding.ObjectKind, finding.SourceId!.Value)))
        {
            var key = objectFindings.Key;
            if (!rows.TryGetValue(key, out var row))
            {
                continue;
            }

            var state = row.Value;
            var changeId = $"{scanId}/{key.ObjectKind}/{key.Value}";
            ObjectState updated;
            if (objectFindings.Any(finding => finding.Kind == DriftKind.Missing))
            {
                // Created again by the next cycle: matched first, so a target that only hid the object does not get a duplicate.
                updated = state with
                {
                    TargetId = null,
                    MatchedBy = null,
                    AppliedHash = null,
                    LastApplied = ScimAttributes.Empty,
                    Status = ObjectStatus.Provisioned,
                    Pending = new PendingChange(WorkOperation.Upsert, changeId, now),
                    NextRetryAt = now,
                };
            }
            else
            {
                var applied = state.LastApplied;
                foreach (var finding in objectFindings)
                {
                    foreach (var path in finding.Paths)
                    {
                        applied = finding.Observed[path] is { } observed ? applied.With(path, observed) : applied.Without(path);
                    }
                }

                // The record now says what the target holds, so the next cycle's compare sends exactly what drifted.
                updated = state with
                {
                    LastApplied = applied,
                    AppliedHash = null,
                    Status = applied["active"] is { ValueKind: JsonValueKind.False } ? ObjectStatus.Disabled : ObjectStatus.Provisioned,
                    Pending = new PendingChange(state.Status == ObjectStatus.Disabled ? WorkOperation.Deprovision : WorkOperation.Upsert, changeId, now),
                    NextRetryAt = now,
                };
            }

            if ((await objects.SaveAsync(updated, row.ETag, cancellationToken)).IsConflict)
            {
                // A worker changed the object meanwhile; its own result stands and the next scan checks it.
                LogRepairSkipped(logger, job, key.ObjectKind, key.Value);
                continue;
            }

            repaired.AddRange(objectFindings);
            if (objectFindings.Any(finding => finding.Kind == DriftKind.Missing))
            {
                snapshots.Forget(job, key.ObjectKind);
                await ResetEdgesOfLostAsync(job, state, groupsWithMembers, cancellationToken);
            }
        }

        foreach (var finding in findings.Where(finding => finding.Kind is DriftKind.MembersMissing or DriftKind.MembersExtra))
        {
            var group = finding.SourceId!.Value;
            var kinds = rows.Values.Where(row => finding.Members.Contains(row.Value.SourceId)).ToDictionary(row => row.Value.SourceId, row => row.Value.Kind);
            // Missing: not applied, so it is added again. Extra: applied, so the undesired edge is removed again.
            await memberships.SetAppliedAsync(job, group,
                finding.Members.Select(member => new AppliedEdge(member, kinds.GetValueOrDefault(member, ObjectKind.User), finding.Kind == DriftKind.MembersExtra)),
                cancellationToken);
            groupsWithMembers[group] = finding.DisplayName;
            repaired.Add(finding);
        }

        if (groupsWithMembers.Count > 0)
        {
            await objects.RecordPendingAsync(job,
                groupsWithMembers.Select(pair => new PendingRecord(ObjectKind.Group, pair.Key, null, MembersPending: true, now, pair.Value)), cancellationToken);
        }

        return repaired;
    }

    /// <summary>
    /// Makes due now what waits on a warning rather than a failure: a value the target did not keep, members not applied
    /// yet. The scan is their retry; the status page keeps them listed until they are applied.
    /// </summary>
    public async Task<int> RetryWarningsAsync(IEnumerable<Versioned<ObjectState>> rows, List<DriftFinding> repaired, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var done = repaired.Where(finding => finding.SourceId is not null).Select(finding => (finding.ObjectKind, finding.SourceId!.Value)).ToHashSet();
        var retried = 0;
        foreach (var row in rows)
        {
            var state = row.Value;
            var waiting = (state.Pending is not null && state.LastError?.Code == NotKeptCode) || state.MembersPending;
            if (!waiting || state.EscrowCount > 0 || state.NextRetryAt <= now || done.Contains((state.Kind, state.SourceId)))
            {
                continue;
            }

            if (!(await objects.SaveAsync(state with { NextRetryAt = now }, row.ETag, cancellationToken)).IsConflict)
            {
                retried++;
            }
        }

        return retried;
    }

    /// <summary>A lost user leaves every group it was applied to; a lost group loses every member. Both are applied again once re-created.</summary>
    private async Task ResetEdgesOfLostAsync(JobId job, ObjectState lost, Dictionary<SourceId, string?> groupsWithMembers, CancellationToken cancellationToken)
    {
        if (lost.Kind == ObjectKind.Group)
        {
            var applied = await memberships.ListAsync(job, lost.SourceId, cancellationToken).Where(edge => edge.Applied).ToListAsync(cancellationToken);
            if (applied.Count > 0)
            {
                await memberships.SetAppliedAsync(job, lost.SourceId, applied.Select(edge => new AppliedEdge(edge.Member, edge.MemberKind, false)), cancellationToken);
                groupsWithMembers[lost.SourceId] = lost.DisplayName;
            }
        }

        // Groups still waiting to add it (their item failed on the lost id) are made due with it, whatever their retry time.
        await foreach (var edge in memberships.ListEdgesOfMemberAsync(job, lost.SourceId, cancellationToken))
        {
            if (edge.Applied)
            {
                await memberships.SetAppliedAsync(job, edge.Group, [new AppliedEdge(lost.SourceId, lost.Kind, false)], cancellationToken);
            }

            if (edge.Applied || edge.Desired)
            {
                groupsWithMembers.TryAdd(edge.Group, null);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: {Kind} {SourceId} changed while the drift scan ran; its repair is left to the next scan")]
    private static partial void LogRepairSkipped(ILogger logger, JobId job, ObjectKind kind, SourceId sourceId);
}
