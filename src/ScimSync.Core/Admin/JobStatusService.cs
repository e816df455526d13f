using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Progress;
using ScimSync.Core.State.Staging;
using ScimSync.Core.State.Watermarks;

namespace ScimSync.Core.Admin;

/// <summary>Reads a job's status: its state in plain words, last cycle and progress, held deletions and escrows.</summary>
public sealed class JobStatusService(
    JobCatalog catalog,
    JobStateStore jobStates,
    WatermarkStore watermarks,
    ObjectStateStore objects,
    StagedActionStore stagedActions,
    ProgressStore progress,
    IWorkQueue queue,
    Worker.RedrivePolicy redrive,
    Drift.DriftScanStore driftScans,
    MembershipStore memberships,
    TimeProvider timeProvider)
{
    /// <summary>The status of every job in the job file, in file order.</summary>
    public async Task<IReadOnlyList<JobStatusReport>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        var reports = new List<JobStatusReport>(catalog.Jobs.Count);
        foreach (var job in catalog.Jobs)
        {
            reports.Add(await GetStatusAsync(job.Id, cancellationToken));
        }

        return reports;
    }

    /// <summary>The job's status.</summary>
    /// <exception cref="KeyNotFoundException">The job is not in the job file.</exception>
    public async Task<JobStatusReport> GetStatusAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var definition = catalog.Get(job);
        var state = (await jobStates.GetAsync(job, cancellationToken))?.Value ?? new JobState(job);
        var cycleProgress = state.LastCycle is { } last ? await progress.GetAsync(job, last.CycleId, cancellationToken) : null;
        var held = new List<HeldObject>();
        await foreach (var action in stagedActions.ListAsync(job, cancellationToken))
        {
            var value = action.Value;
            held.Add(new HeldObject(value.Kind, value.SourceId, value.DisplayName, value.Operation.ToString(), value.Reason, value.StagedAt));
        }

        var marks = new Dictionary<WatermarkKind, DateTimeOffset>();
        foreach (var kind in Enum.GetValues<WatermarkKind>())
        {
            if (await watermarks.GetAsync(job, kind, cancellationToken) is { } mark)
            {
                marks[kind] = mark.Value.SavedAt;
            }
        }

        return new JobStatusReport
        {
            Job = job,
            DisplayName = definition.Definition.DisplayName,
            Status = state.Status,
            Summary = StatusSummary.Summarize(state, held.Count, timeProvider.GetUtcNow()),
            Reason = state.Reason,
            NextAttemptAt = state.NextAttemptAt,
            NextCycleAt = state.NextCycleAt,
            QuarantinedSince = state.QuarantinedSince,
            LastCycle = state.LastCycle,
            Progress = cycleProgress is { } read && (read.Enqueued > 0 || read.Finished > 0) ? read : null,
            Counters = state.Counters,
            HeldDeletions = held,
            Attention = await AttentionAsync(job, state.LastCycle?.StartedAt, cancellationToken),
            Watermarks = marks,
        };
    }

    /// <summary>About how many messages wait in the work queue (all jobs share it); 0 before the queue exists.</summary>
    public async Task<int> GetQueuedMessagesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await queue.GetApproximateCountAsync(cancellationToken);
        }
        catch (Azure.RequestFailedException missing) when (missing.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>
    /// Every object whose target does not hold what the source wants yet, by why: escrowed, poisoned, not kept by the
    /// target, or pending (overdue once older than twice the time a change is left to its message).
    /// </summary>
    private async Task<ObjectsNeedingAttention> AttentionAsync(JobId job, DateTimeOffset? lastCycleStarted, CancellationToken cancellationToken)
    {
        List<HeldObject> escrowed = [], poisoned = [], unapplied = [], pending = [];
        var overdueBefore = timeProvider.GetUtcNow() - (redrive.InFlight(0) * 2);
        var overdue = 0;
        foreach (var kind in new[] { ObjectKind.User, ObjectKind.Group })
        {
            await foreach (var row in objects.ListUnsettledAsync(job, kind, cancellationToken))
            {
                var value = row.Value;
                var error = value.LastError;
                var reason = error is null
                    ? value.EscrowCount > 0 ? $"failed {value.EscrowCount} time(s)" : $"{value.Pending?.Operation.ToString() ?? "Members"} not applied yet"
                    : $"{error.Message}{(error.RecommendedAction is { } action ? " " + action : string.Empty)}";
                var held = new HeldObject(kind, value.SourceId, value.DisplayName, error?.Code ?? value.Pending?.Operation.ToString() ?? "Members",
                    reason, error?.OccurredAt ?? value.Pending?.Since, value.NextRetryAt);
                if (value.EscrowCount > 0)
                {
                    escrowed.Add(held);
                }
                else if (value.Pending?.Poisoned == true)
                {
                    poisoned.Add(held);
                }
                else if (error?.Code == "AttributeNotKept")
                {
                    unapplied.Add(held);
                }
                else
                {
                    pending.Add(held);
                    overdue += (value.Pending?.Since ?? DateTimeOffset.MaxValue) < overdueBefore ? 1 : 0;
                }
            }
        }

        var notProvisioned = new List<HeldObject>();
        var notProvisionedNeedingAdmin = 0;
        // The waiting list is cleared when the member is provisioned, and carries its name and reason: no read per member.
        foreach (var awaited in await memberships.ListAwaitedAsync(job, cancellationToken))
        {
            notProvisioned.Add(new HeldObject(ObjectKind.User, awaited.Member, awaited.Name, awaited.Code,
                $"{awaited.Reason} {awaited.Groups.Count} group(s) completed without it and get it once it is provisioned.", awaited.Since));
            notProvisionedNeedingAdmin += awaited.Since < lastCycleStarted ? 1 : 0;
        }

        var drift = (await driftScans.GetAsync(job, cancellationToken))?.Value.Notices ?? [];
        return new ObjectsNeedingAttention
        {
            Escrowed = escrowed,
            Poisoned = poisoned,
            Unapplied = unapplied,
            Pending = pending,
            Overdue = overdue,
            Drift = [.. drift.Select(notice => new HeldObject(notice.Kind, new SourceId(notice.SourceId), notice.DisplayName, notice.Drift.ToString(),
                notice.NeedsAdmin
                    ? notice.Repaired ? $"{notice.Description} Found again by {notice.Scans} scans in a row: the repair does not hold." : $"{notice.Description} Reported only (policy.repairDrift is off)."
                    : $"{notice.Description} Repaired by the next cycle.",
                notice.FirstSeenAt))],
            DriftNeedingAdmin = drift.Count(notice => notice.NeedsAdmin),
            NotProvisionedMembers = notProvisioned,
            NotProvisionedNeedingAdmin = notProvisionedNeedingAdmin,
        };
    }
}
