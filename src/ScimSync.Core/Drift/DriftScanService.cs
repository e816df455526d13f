using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Scim;
using ScimSync.Core.State;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Drift;

/// <summary>
/// A drift scan of one job: reads what the target holds (<see cref="TargetInventoryReader"/>), compares it with what
/// ScimSync applied (<see cref="DriftComparer"/>), writes a provisioning log entry per difference, and, when the job's
/// <c>policy.repairDrift</c> is on, records each difference as a pending change the next cycle applies: a lost object
/// is created again, drifted attributes are sent again, members are added or removed again. Objects and members the
/// job never managed are reported, never changed.
/// </summary>
public sealed partial class DriftScanService(
    JobCatalog catalog,
    ObjectStateStore objects,
    MembershipStore memberships,
    JobScimClients clients,
    DriftScanStore scans,
    ProvisioningLogStore logs,
    TimeProvider timeProvider,
    ILogger<DriftScanService> logger)
{
    // The status page lists this many notices at most; the counts stay exact.
    private const int MaxStoredNotices = 500;

    // The code the worker records for a value the target acknowledged and did not keep.
    private const string NotKeptCode = "AttributeNotKept";

    /// <summary>Scans the job's target and repairs (or reports) what drifted; with <paramref name="plan"/> only says what it would do.</summary>
    /// <exception cref="KeyNotFoundException">The job is not in the job file.</exception>
    /// <exception cref="ScimException">The target could not be read; nothing was recorded.</exception>
    public async Task<DriftScanReport> ScanAsync(JobId jobId, bool plan = false, CancellationToken cancellationToken = default)
    {
        var job = catalog.Get(jobId);
        var policy = job.Definition.Policy;
        var startedAt = timeProvider.GetUtcNow();
        var scanId = string.Create(CultureInfo.InvariantCulture, $"drift-{startedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
        var client = await clients.GetAsync(job, cancellationToken);

        var users = await LoadAsync(jobId, ObjectKind.User, cancellationToken);
        var groups = policy.ProvisionGroups ? await LoadAsync(jobId, ObjectKind.Group, cancellationToken) : [];
        var userInventory = await TargetInventoryReader.ReadAsync(client, ObjectKind.User, KnownIds(users), readMembersById: false, cancellationToken);
        var findings = DriftComparer.CompareObjects([.. users.Select(row => row.Value)], userInventory).ToList();
        TargetInventory? groupInventory = null;
        if (policy.ProvisionGroups)
        {
            groupInventory = await TargetInventoryReader.ReadAsync(client, ObjectKind.Group, KnownIds(groups), client.Profile.ExcludesMembersOnGroupReads, cancellationToken);
            findings.AddRange(DriftComparer.CompareObjects([.. groups.Select(row => row.Value)], groupInventory));
            if (job.Mappings.Groups.ProvisionsMembers)
            {
                findings.AddRange(await CompareMembersAsync(jobId, users, groups, userInventory, groupInventory, cancellationToken));
            }
        }

        var repair = policy.RepairDrift && !plan;
        var managed = findings.Where(finding => finding.Repairable).ToList();
        var repaired = repair ? await RepairAsync(job, scanId, managed, users, groups, cancellationToken) : [];
        var retried = plan ? 0 : await RetryWarningsAsync(users.Concat(groups), repaired, cancellationToken);
        var counts = new DriftScanCounts
        {
            UsersRead = userInventory.Resources.Count,
            GroupsRead = groupInventory?.Resources.Count ?? 0,
            Requests = userInventory.Requests + (groupInventory?.Requests ?? 0),
            Findings = findings.Count(finding => finding.Kind is not (DriftKind.ForeignObject or DriftKind.ForeignMembers)),
            Repaired = repaired.Count,
            ForeignObjects = findings.Count(finding => finding.Kind == DriftKind.ForeignObject),
            WarningsRetried = retried,
            PagingProblem = string.Join(" ", new[] { Problem("users", userInventory), Problem("groups", groupInventory) }.Where(text => text is not null)) is { Length: > 0 } text ? text : null,
        };

        if (!plan)
        {
            await LogAsync(job, scanId, findings, repaired, repair, cancellationToken);
            await SaveAsync(job, scanId, startedAt, counts, findings, repaired, cancellationToken);
        }

        var message = Describe(counts, plan, policy.RepairDrift, managed.Count);
        LogScanned(logger, jobId, scanId, counts.Findings, counts.Repaired, counts.Requests);
        return new DriftScanReport
        {
            Job = jobId,
            ScanId = scanId,
            Plan = plan,
            RepairEnabled = policy.RepairDrift,
            Counts = counts,
            Findings = findings,
            Message = message,
        };
    }

    private static string? Problem(string what, TargetInventory? inventory) => inventory?.PagingProblem is { } problem
        ? inventory.Listed
            ? $"Listing {what}: {problem}; the objects the list left out were read by id."
            : $"Listing {what}: {problem}; each known object was read by id instead, so objects the job never created cannot be listed."
        : null;

    private static string Describe(DriftScanCounts counts, bool plan, bool repairEnabled, int repairable)
    {
        var read = string.Create(CultureInfo.InvariantCulture, $"Read {counts.UsersRead:N0} users and {counts.GroupsRead:N0} groups in {counts.Requests:N0} requests.");
        var found = counts.Findings == 0
            ? " The target holds what ScimSync applied."
            : string.Create(CultureInfo.InvariantCulture, $" Found {counts.Findings:N0} difference(s) on managed objects.");
        var done = repairable == 0 ? string.Empty
            : plan ? repairEnabled
                ? string.Create(CultureInfo.InvariantCulture, $" Dry run: {repairable:N0} would be repaired by the next cycle; nothing was written.")
                : " Dry run: policy.repairDrift is off, so they would only be reported; nothing was written."
            : repairEnabled
                ? string.Create(CultureInfo.InvariantCulture, $" {counts.Repaired:N0} are pending for the next cycle.")
                : " policy.repairDrift is off: they are reported only.";
        var foreign = counts.ForeignObjects == 0 ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" {counts.ForeignObjects:N0} object(s) in the target were never created or adopted by this job and are left alone.");
        var paging = counts.PagingProblem is { } problem ? " " + problem : string.Empty;
        var retried = counts.WarningsRetried == 0 ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" {counts.WarningsRetried:N0} change(s) waiting on a warning (a value not kept, members not applied) are due again.");
        return read + found + done + foreign + paging + retried;
    }

    private async Task<List<Versioned<ObjectState>>> LoadAsync(JobId job, ObjectKind kind, CancellationToken cancellationToken)
    {
        var rows = new List<Versioned<ObjectState>>();
        await foreach (var row in objects.ListAsync(job, kind, cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static List<TargetId> KnownIds(List<Versioned<ObjectState>> rows) =>
        [.. rows.Where(row => DriftComparer.IsManaged(row.Value)).Select(row => row.Value.TargetId!.Value).Distinct()];

    private async Task<List<DriftFinding>> CompareMembersAsync(
        JobId job, List<Versioned<ObjectState>> users, List<Versioned<ObjectState>> groups, TargetInventory userInventory, TargetInventory groupInventory,
        CancellationToken cancellationToken)
    {
        // An object the target lost is no member of anything: its edges count as missing.
        var targetIds = users.Select(row => row.Value).Concat(groups.Select(row => row.Value))
            .Where(state => state.TargetId is { } id && !userInventory.Missing.Contains(id) && !groupInventory.Missing.Contains(id))
            .GroupBy(state => state.SourceId)
            .ToDictionary(states => states.Key, states => states.First().TargetId!.Value);
        var findings = new List<DriftFinding>();
        foreach (var group in groups.Select(row => row.Value).Where(DriftComparer.IsManaged))
        {
            // Members still being applied are the worker's; the next scan compares them.
            if (group.MembersPending || !groupInventory.Resources.TryGetValue(group.TargetId!.Value, out var resource))
            {
                continue;
            }

            var edges = await memberships.ListAsync(job, group.SourceId, cancellationToken).ToListAsync(cancellationToken);
            findings.AddRange(DriftComparer.CompareMembers(group, resource, edges, targetIds));
        }

        return findings;
    }

    /// <summary>Records each difference as a change for the next cycle; returns the findings whose repair was recorded.</summary>
    private async Task<List<DriftFinding>> RepairAsync(
        ProvisioningJob job, string scanId, List<DriftFinding> findings, List<Versioned<ObjectState>> users, List<Versioned<ObjectState>> groups,
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
                    Status = applied["active"] is { ValueKind: System.Text.Json.JsonValueKind.False } ? ObjectStatus.Disabled : ObjectStatus.Provisioned,
                    Pending = new PendingChange(state.Status == ObjectStatus.Disabled ? WorkOperation.Deprovision : WorkOperation.Upsert, changeId, now),
                    NextRetryAt = now,
                };
            }

            if ((await objects.SaveAsync(updated, row.ETag, cancellationToken)).IsConflict)
            {
                // A worker changed the object meanwhile; its own result stands and the next scan checks it.
                LogRepairSkipped(logger, job.Id, key.ObjectKind, key.Value);
                continue;
            }

            repaired.AddRange(objectFindings);
            if (objectFindings.Any(finding => finding.Kind == DriftKind.Missing))
            {
                await ResetEdgesOfLostAsync(job.Id, state, groupsWithMembers, cancellationToken);
            }
        }

        foreach (var finding in findings.Where(finding => finding.Kind is DriftKind.MembersMissing or DriftKind.MembersExtra))
        {
            var group = finding.SourceId!.Value;
            var kinds = rows.Values.Where(row => finding.Members.Contains(row.Value.SourceId)).ToDictionary(row => row.Value.SourceId, row => row.Value.Kind);
            // Missing: not applied, so it is added again. Extra: applied, so the undesired edge is removed again.
            await memberships.SetAppliedAsync(job.Id, group,
                finding.Members.Select(member => new AppliedEdge(member, kinds.GetValueOrDefault(member, ObjectKind.User), finding.Kind == DriftKind.MembersExtra)),
                cancellationToken);
            groupsWithMembers[group] = finding.DisplayName;
            repaired.Add(finding);
        }

        if (groupsWithMembers.Count > 0)
        {
            await objects.RecordPendingAsync(job.Id,
                groupsWithMembers.Select(pair => new PendingRecord(ObjectKind.Group, pair.Key, null, MembersPending: true, now, pair.Value)), cancellationToken);
        }

        return repaired;
    }

    /// <summary>
    /// Makes due now what waits on a warning rather than a failure: a value the target did not keep, members not applied
    /// yet. The scan is their retry; the status page keeps them listed until they are applied.
    /// </summary>
    private async Task<int> RetryWarningsAsync(IEnumerable<Versioned<ObjectState>> rows, List<DriftFinding> repaired, CancellationToken cancellationToken)
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

    private async Task LogAsync(ProvisioningJob job, string scanId, List<DriftFinding> findings, List<DriftFinding> repaired, bool repair, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var finding in findings.Where(finding => finding.Kind != DriftKind.ForeignObject))
        {
            var wasRepaired = repaired.Contains(finding);
            var steps = new List<ProvisioningStep>
            {
                new(ProvisioningStepType.Matching, ProvisioningStatus.Warning, "DriftDetected", finding.Description,
                    finding.Paths.Count > 0 ? new Dictionary<string, string> { ["Paths"] = string.Join(", ", finding.Paths) } : null),
            };
            steps.Add(!finding.Repairable
                ? new(ProvisioningStepType.Processing, ProvisioningStatus.Skipped, "DriftReportedOnly", "ScimSync does not change what this job never managed.")
                : wasRepaired
                    ? new(ProvisioningStepType.Processing, ProvisioningStatus.Success, "DriftRepairScheduled", RepairText(finding))
                    : new(ProvisioningStepType.Processing, ProvisioningStatus.Skipped, "DriftNotRepaired",
                        repair ? "The object changed while the scan ran; the next scan checks it again." : $"{job.SettingPath}.policy.repairDrift is off: the difference is reported only."));
            await logs.WriteAsync(new ProvisioningLogEntry
            {
                Id = Guid.NewGuid().ToString(),
                Job = job.Id,
                CycleId = scanId,
                ChangeId = $"{scanId}/{finding.ObjectKind}/{finding.SourceId?.Value ?? finding.TargetId?.Value}/{finding.Kind}",
                ActivityDateTime = now,
                Action = ProvisioningAction.Other,
                Status = ProvisioningStatus.Warning,
                SourceIdentity = new ProvisionedIdentity(finding.SourceId?.Value ?? string.Empty, finding.DisplayName, finding.ObjectKind.ToString()),
                TargetIdentity = finding.TargetId is { } target ? new ProvisionedIdentity(target.Value, finding.DisplayName, finding.ObjectKind.ToString()) : null,
                Steps = steps,
                Error = wasRepaired || !finding.Repairable ? null : new ProvisioningErrorInfo("DriftNotRepaired", finding.Description,
                    $"Turn on {job.SettingPath}.policy.repairDrift, or correct the object in the target.", Category: ProvisioningErrorCategory.NonServiceFailure),
            }, cancellationToken);
        }
    }

    private static string RepairText(DriftFinding finding) => finding.Kind switch
    {
        DriftKind.Missing => "The next cycle matches and, if nothing matches, creates the object again, then gives it back its group memberships.",
        DriftKind.Deactivated => "The next cycle makes the object active again.",
        DriftKind.Reactivated => "The next cycle deactivates the object again.",
        DriftKind.AttributesDiffer => "The next cycle sends the drifted attributes again.",
        DriftKind.MembersMissing => "The next cycle adds the members again.",
        DriftKind.MembersExtra => "The next cycle removes the members again.",
        _ => "Reported only.",
    };

    private async Task SaveAsync(
        ProvisioningJob job, string scanId, DateTimeOffset startedAt, DriftScanCounts counts, List<DriftFinding> findings, List<DriftFinding> repaired,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await scans.GetAsync(job.Id, cancellationToken);
            var previous = (current?.Value.Notices ?? []).ToDictionary(notice => (notice.Kind, notice.SourceId, notice.Drift));
            var notices = findings
                .Where(finding => finding.Repairable && finding.SourceId is not null)
                .Select(finding =>
                {
                    var seen = previous.GetValueOrDefault((finding.ObjectKind, finding.SourceId!.Value.Value, finding.Kind));
                    return new DriftNotice(finding.ObjectKind, finding.SourceId.Value.Value, finding.DisplayName, finding.Kind, finding.Description,
                        seen?.FirstSeenAt ?? startedAt, (seen?.Scans ?? 0) + 1, repaired.Contains(finding));
                })
                .OrderByDescending(notice => notice.NeedsAdmin)
                .Take(MaxStoredNotices)
                .ToList();
            var record = (current?.Value ?? new DriftScanRecord()) with
            {
                LastScanAt = startedAt,
                LastScanId = scanId,
                NextScanAt = DriftSchedule.Following(job, startedAt),
                Counts = counts,
                Notices = notices,
            };
            if (!(await scans.SaveAsync(job.Id, record, current?.ETag, cancellationToken)).IsConflict)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} drift scan {ScanId}: {Findings} difference(s), {Repaired} pending for the next cycle, {Requests} requests")]
    private static partial void LogScanned(ILogger logger, JobId job, string scanId, int findings, int repaired, int requests);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: {Kind} {SourceId} changed while the drift scan ran; its repair is left to the next scan")]
    private static partial void LogRepairSkipped(ILogger logger, JobId job, ObjectKind kind, SourceId sourceId);
}
