using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
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
    TargetIdSnapshots snapshots,
    TimeProvider timeProvider,
    ILogger<DriftScanService> logger)
{
    // The status page lists this many notices at most; the counts stay exact.
    private const int MaxStoredNotices = 500;

    private readonly DriftRepairs _repairs = new(objects, memberships, snapshots, timeProvider, logger);

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
        var repaired = repair ? await _repairs.RepairAsync(job.Id, scanId, managed, users, groups, cancellationToken) : [];
        var retried = plan ? 0 : await _repairs.RetryWarningsAsync(users.Concat(groups), repaired, cancellationToken);
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
            foreach (var entry in DriftLogEntries.For(job, scanId, timeProvider.GetUtcNow(), findings, repaired, repair))
            {
                await logs.WriteAsync(entry, cancellationToken);
            }
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
}
