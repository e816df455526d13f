using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Core.Configuration;
using ScimSync.Core.Diagnostics;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.Logging;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Core.Worker;
using ScimSync.Core.State.Progress;
using ScimSync.Core.State.Staging;
using ScimSync.Core.State.Watermarks;

namespace ScimSync.Core.Cycle;

/// <summary>
/// Runs one provisioning cycle of a job: lease, schedule check, plan (<see cref="CyclePlanner"/>: read, scope,
/// guards), then stage held deprovisions, record desired memberships, enqueue every work item, and only then save
/// the membership graph, the assignment snapshot, the watermarks and the cycle's counters. A crash anywhere before
/// the watermark repeats the cycle, which is harmless because work items are idempotent.
/// </summary>
public sealed partial class SyncCycleRunner(
    JobCatalog catalog,
    CyclePlanner planner,
    IAssignmentSnapshotStore assignmentSnapshots,
    SourceMembershipStore sourceMemberships,
    JobStateStore jobStates,
    WatermarkStore watermarks,
    MembershipStore memberships,
    StagedActionStore stagedActions,
    StagedDeprovisionReview stagedReview,
    ProgressStore progress,
    ObjectStateStore objects,
    ProvisioningLogStore logs,
    RedrivePolicy redrive,
    Reconciliation.JobScimClients clients,
    WaveSender waves,
    JobHealth health,
    JobStateHeartbeat heartbeat,
    ScimSyncMetrics metrics,
    IOptions<SyncCycleOptions> options,
    TimeProvider timeProvider,
    ILogger<SyncCycleRunner> logger)
{
    private const int DesiredEdgeWriters = 8;
    private readonly SyncCycleOptions _options = options.Value;

    /// <summary>Runs one cycle of the job and reports what it did; never throws for a failed cycle (see <see cref="CycleStatus.Failed"/>).</summary>
    /// <exception cref="KeyNotFoundException">The job is not in the job file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<CycleReport> RunAsync(JobId jobId, CycleOptions? cycleOptions = null, CancellationToken cancellationToken = default)
    {
        using var activity = ScimSyncTelemetry.Source.StartActivity("scimsync.cycle");
        activity?.SetTag("scimsync.job", jobId.Value);
        var started = timeProvider.GetTimestamp();
        var report = await RunCycleAsync(jobId, cycleOptions, cancellationToken);
        activity?.SetTag("scimsync.cycle.id", report.CycleId);
        activity?.SetTag("scimsync.cycle.status", report.Status.ToString());
        activity?.SetTag("scimsync.cycle.enqueued", report.Enqueued);
        if (report.Status is CycleStatus.Failed or CycleStatus.Aborted)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, report.Message);
        }

        metrics.RecordCycle(jobId, report.Status, timeProvider.GetElapsedTime(started));
        return report;
    }

    private async Task<CycleReport> RunCycleAsync(JobId jobId, CycleOptions? cycleOptions, CancellationToken cancellationToken)
    {
        cycleOptions ??= CycleOptions.Default;
        var job = catalog.Get(jobId);
        var startedAt = timeProvider.GetUtcNow();
        var cycleId = NewCycleId(startedAt);
        CycleLease? lease = null;
        try
        {
            if (!cycleOptions.DryRun)
            {
                switch (await jobStates.TryAcquireLeaseAsync(jobId, cycleId, _options.LeaseDuration, cancellationToken))
                {
                    case LeaseResult.HeldByOther held:
                        LogAlreadyRunning(logger, jobId, held.Lease.Holder);
                        return new CycleReport
                        {
                            Job = jobId,
                            Status = CycleStatus.AlreadyRunning,
                            Message = string.Create(CultureInfo.InvariantCulture,
                                $"Another cycle of job '{jobId}' is running ({held.Lease.Holder}, lease until {held.Lease.ExpiresAt:u}); this one did nothing."),
                        };
                    case LeaseResult.Acquired acquired:
                        lease = acquired.Lease;
                        break;
                }
            }

            var state = (await jobStates.GetAsync(jobId, cancellationToken))?.Value ?? new JobState(jobId);
            if (!cycleOptions.DryRun && Gate(state, startedAt) is { } skipped)
            {
                LogSkipped(logger, jobId, skipped.Message);
                return skipped;
            }

            // The last cycle's items may have finished since; judge it before starting another.
            if (!cycleOptions.DryRun && state.LastCycle is { } last && state.Status == JobStatus.Quarantined)
            {
                state = await health.EvaluateCycleAsync(jobId, last.CycleId, cancellationToken) ?? state;
            }

            // Held deprovisions whose objects are back in scope are dropped; a hold with nothing left clears by itself.
            if (!cycleOptions.DryRun && state.Status == JobStatus.DeletionsHeld && await stagedReview.DropRestoredAsync(job, cancellationToken) == 0)
            {
                state = await jobStates.UpdateAsync(jobId, current => current.Status == JobStatus.DeletionsHeld
                    ? current with { Status = JobStatus.Active, Reason = null, NextAttemptAt = null }
                    : current, cancellationToken);
                LogHoldCleared(logger, jobId);
            }

            // A quarantined job's retry re-reads everything, so the objects that failed are tried again.
            var forceFull = cycleOptions.ForceFull || state.Status == JobStatus.Quarantined;
            var sending = cycleOptions.DryRun ? null : waves.Start(jobId, lease!);
            var plan = await planner.PlanAsync(
                job, cycleId, forceFull, state.Status == JobStatus.DeletionsHeld,
                sending is null ? null : (items, pending, token) => SendAheadAsync(jobId, cycleId, sending, items, pending, token),
                cancellationToken);
            if (plan.AbortReason is { } reason)
            {
                if (!cycleOptions.DryRun)
                {
                    await RecordEndAsync(jobId, Summary(cycleId, startedAt, CycleOutcome.Aborted, plan, plan.SentAhead, reason), failed: true, cancellationToken);
                }

                return Report(jobId, cycleId, CycleStatus.Aborted, reason, plan, plan.SentAhead);
            }

            if (cycleOptions.DryRun)
            {
                var planned = string.Create(CultureInfo.InvariantCulture,
                    $"Dry run: the cycle would enqueue {plan.Items.Count:N0} work items{(plan.Staged.Count > 0 ? $" and hold {plan.Staged.Count:N0} deprovisions for approval" : string.Empty)}. Nothing was written.");
                return Report(jobId, cycleId, CycleStatus.Planned, planned, plan, 0) with { PlannedItems = [.. plan.Items] };
            }

            return await CommitAsync(job, state, cycleId, startedAt, plan, sending!, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = FailureMessage(jobId, exception);
            LogFailed(logger, exception, jobId, message);
            if (!cycleOptions.DryRun)
            {
                await TryRecordFailureAsync(jobId, cycleId, startedAt, message);
            }

            return new CycleReport { Job = jobId, CycleId = cycleId, Status = CycleStatus.Failed, Message = message };
        }
        finally
        {
            if (lease is not null)
            {
                await TryReleaseAsync(lease);
            }

            if (!cycleOptions.DryRun && !cancellationToken.IsCancellationRequested)
            {
                await heartbeat.ReportAsync(jobId, cycleId, CancellationToken.None);
            }
        }
    }

    /// <summary>The item carrying the row the cycle inserted for its object, when it has one and there is room for it in the message.</summary>
    private static WorkItem WithInsertedRow(WorkItem item, IReadOnlyDictionary<(ObjectKind Kind, SourceId SourceId), Versioned<ObjectState>> inserted) =>
        inserted.TryGetValue((item.Kind, item.SourceId), out var row)
        && ObjectStateStore.WithInsertedRow(item, row) is { InsertedRow: not null } carrying
        && WorkItemSerializer.MeasureBytes(carrying) <= WorkItemSerializer.MaxMessageBytes
            ? carrying
            : item;

    /// <summary>Renews the cycle's lease before it sends: a cycle that lost it while reading stops.</summary>
    private Task RenewBeforeSendingAsync(WaveRun sending, CancellationToken cancellationToken) =>
        waves.RenewLeaseAsync(sending, holder =>
            $"The cycle lost its lease to {holder} while reading; it stopped before enqueueing {(sending.Sent == 0 ? "anything" : "the rest")}. Raise ScimSync:Cycle:LeaseDuration if reads take that long.",
            cancellationToken);

    /// <summary>Sends upserts the planner hands over while it still reads, each object's change recorded with its wave.</summary>
    private async Task SendAheadAsync(
        JobId job, string cycleId, WaveRun sending, IReadOnlyList<WorkItem> items, IReadOnlyList<PendingRecord> pending, CancellationToken cancellationToken)
    {
        await RenewBeforeSendingAsync(sending, cancellationToken);
        await progress.SetEnqueuedAsync(job, cycleId, sending.Sent + items.Count, cancellationToken);
        var unrecorded = pending.ToDictionary(record => (record.Kind, record.SourceId));
        await waves.SendAsync(sending, new Queue<WorkItem>(items), (wave, token) => RecordChangesAsync(job, wave, unrecorded, token), cancellationToken);
    }

    /// <summary>Records the pending change of each object in <paramref name="wave"/> before its message exists; returns the wave as it is to be sent.</summary>
    private async Task<IReadOnlyList<WorkItem>> RecordChangesAsync(
        JobId job, IReadOnlyList<WorkItem> wave, Dictionary<(ObjectKind Kind, SourceId SourceId), PendingRecord> unrecorded, CancellationToken cancellationToken)
    {
        var recordedAt = timeProvider.GetUtcNow();
        var records = new List<PendingRecord>();
        foreach (var item in wave)
        {
            if (unrecorded.Remove((item.Kind, item.SourceId), out var record))
            {
                records.Add(record with { DueAt = recordedAt + redrive.InFlight(record.Change?.Redrives ?? 0) });
            }
        }

        var inserted = await objects.RecordPendingAsync(job, records, cancellationToken);
        return inserted.Count == 0 ? wave : wave.Select(item => WithInsertedRow(item, inserted)).ToArray();
    }

    private async Task<CycleReport> CommitAsync(
        ProvisioningJob job, JobState state, string cycleId, DateTimeOffset startedAt, CyclePlan plan, WaveRun sending, CancellationToken cancellationToken)
    {
        await RenewBeforeSendingAsync(sending, cancellationToken);

        if (plan.Staged.Count > 0)
        {
            await stagedActions.StageAsync(plan.Staged, cancellationToken);
        }

        // A group's desired edges are recorded with the wave that carries its first membership slice; a group whose
        // edges changed with nothing to send has them recorded now.
        var sliced = plan.Items.Where(item => item.Operation == WorkOperation.MembershipChunk).Select(item => item.SourceId).ToHashSet();
        var unsliced = plan.DesiredEdges.Where(group => !sliced.Contains(group.Key)).ToList();
        await RecordDesiredAsync(job.Id, unsliced, cancellationToken);
        foreach (var group in unsliced)
        {
            plan.DesiredEdges.Remove(group.Key);
        }

        await RecordFailuresAsync(job.Id, cycleId, plan.Failures, cancellationToken);
        foreach (var row in plan.MembersSettled)
        {
            await objects.SettleAsync(job.Id, ObjectKind.Group, row.Value.SourceId, changeId: null, membersSettled: true, row, cancellationToken);
        }

        // Level-triggered: each change is recorded with its object before its message exists, so no lost message can lose it.
        await progress.SetEnqueuedAsync(job.Id, cycleId, plan.ItemCount, cancellationToken);
        await waves.SendAsync(sending, plan.Items, async (wave, token) =>
        {
            var desired = new List<KeyValuePair<SourceId, IReadOnlyList<DesiredEdge>>>();
            foreach (var group in wave.Where(item => item.Operation == WorkOperation.MembershipChunk).Select(item => item.SourceId))
            {
                if (plan.DesiredEdges.Remove(group, out var edges))
                {
                    desired.Add(new(group, edges));
                }
            }

            await RecordDesiredAsync(job.Id, desired, token);
            return await RecordChangesAsync(job.Id, wave, plan.Pending, token);
        }, cancellationToken);

        waves.Finish(sending);
        LogEnqueued(logger, job.Id, cycleId, plan.ItemCount);

        // Only now that every item is durably enqueued may the cycle's reading position move.
        await sourceMemberships.SaveAsync(job.Id, plan.StoredEdges, plan.Graph, cancellationToken);
        if (plan.Assignments is { } assignments)
        {
            await assignmentSnapshots.SaveAsync(job.Id, assignments, cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        foreach (var read in plan.Reads)
        {
            var kind = read.Kind == ObjectKind.User ? WatermarkKind.Users : WatermarkKind.Groups;
            var written = await watermarks.SaveAsync(new Watermark(job.Id, kind, read.DeltaLink, now, cycleId), read.StartedFrom?.ETag, cancellationToken);
            if (written.IsConflict)
            {
                // Only possible when a restart removed the watermark meanwhile: that restart wins.
                LogWatermarkConflict(logger, job.Id, kind);
            }
        }

        var outcome = plan.Staged.Count > 0 ? CycleOutcome.CompletedWithHeldDeletions : CycleOutcome.Completed;
        var stateWarning = plan.StartedWithoutState ? await LostStateWarningAsync(job, plan.TargetUsersListed, cancellationToken) : null;
        var summary = Summary(cycleId, startedAt, outcome, plan, plan.ItemCount, stateWarning) with { CompletedAt = now };
        var saved = await jobStates.UpdateAsync(job.Id, current =>
        {
            var next = current with
            {
                LastCycle = summary,
                Counters = current.Counters with { CyclesCompleted = current.Counters.CyclesCompleted + 1, ConsecutiveFailedCycles = 0 },
            };
            if (plan.Staged.Count > 0 && next.Status is JobStatus.Active or JobStatus.DeletionsHeld)
            {
                next = next with
                {
                    Status = JobStatus.DeletionsHeld,
                    Reason = CycleGuards.DeletionsHeldReason(plan.Staged.Count, job.Definition.Policy.DeletionThreshold, job.SettingPath),
                    NextAttemptAt = now + job.Definition.Policy.Interval,
                };
            }

            return health.ScheduleNextAttempt(next, job);
        }, cancellationToken);

        // A quarantined job whose retry had nothing to do has nothing failing any more.
        if (saved.Status == JobStatus.Quarantined && plan.ItemCount == 0)
        {
            saved = await health.LiftIfRetrySucceededAsync(job.Id, cycleId, cancellationToken);
        }

        var status = plan.Staged.Count > 0 ? CycleStatus.CompletedWithHeldDeletions : CycleStatus.Completed;
        var message = (stateWarning is null ? string.Empty : stateWarning + " ") + (plan.Staged.Count > 0
            ? $"Enqueued {plan.ItemCount:N0} work items. {saved.Reason}"
            : string.Create(CultureInfo.InvariantCulture, $"Enqueued {plan.ItemCount:N0} work items ({plan.Upserts:N0} upserts, {plan.Deprovisions:N0} deactivations, {plan.Deletes:N0} deletes, {plan.MembershipChunks:N0} membership changes)."));
        return Report(job.Id, cycleId, status, message, plan, plan.ItemCount) with { StagedActions = plan.Staged, NextAttemptAt = saved.NextAttemptAt };
    }

    /// <summary>Records groups' desired edges; each group is a partition of its own, so groups are written side by side.</summary>
    private Task RecordDesiredAsync(JobId job, IEnumerable<KeyValuePair<SourceId, IReadOnlyList<DesiredEdge>>> groups, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            groups, new ParallelOptions { MaxDegreeOfParallelism = DesiredEdgeWriters, CancellationToken = cancellationToken },
            async (group, token) => await memberships.SetDesiredAsync(job, group.Key, group.Value, token));

    /// <summary>
    /// When the job has no state at all but its target already holds users, says so loudly: on a first run this is an
    /// adoption, but if ScimSync ran before, its state store was lost, and the admin must know.
    /// </summary>
    private async Task<string?> LostStateWarningAsync(ProvisioningJob job, int? targetUsersListed, CancellationToken cancellationToken)
    {
        try
        {
            var holdsUsers = targetUsersListed is { } listed
                ? listed > 0
                : await (await clients.GetAsync(job, cancellationToken)).ListAsync(ObjectKind.User, cancellationToken: cancellationToken).AnyAsync(cancellationToken);
            if (!holdsUsers)
            {
                return null;
            }
        }
        catch (Scim.ScimException)
        {
            // The target's own trouble shows up in the work items; this check is only a warning.
            return null;
        }

        LogStartedWithoutState(logger, job.Id);
        return $"Warning: ScimSync has no state for job '{job.Id}' (no watermark, no object), yet its target already holds users. " +
            "If this is the job's first cycle, they are matched and adopted, never duplicated. If ScimSync ran this job before, its state store was lost or emptied " +
            "(check ScimSync:State: the storage account and table prefix): objects are adopted again by matching, and nothing it cannot match is deprovisioned.";
    }

    /// <summary>Escrows the objects that failed on their own while planning, each with a provisioning log entry saying why.</summary>
    private async Task RecordFailuresAsync(JobId job, string cycleId, IReadOnlyList<ObjectFailure> failures, CancellationToken cancellationToken)
    {
        foreach (var failure in failures)
        {
            var now = timeProvider.GetUtcNow();
            await objects.RecordFailureAsync(job, failure.Kind, failure.Id, new ObjectError(failure.Code, failure.Reason, failure.RecommendedAction, now), cancellationToken);
            await logs.WriteAsync(new ProvisioningLogEntry
            {
                Id = Guid.NewGuid().ToString(),
                Job = job,
                CycleId = cycleId,
                ChangeId = $"{cycleId}/{failure.Kind}/{failure.Id}",
                ActivityDateTime = now,
                Action = ProvisioningAction.Other,
                Status = ProvisioningStatus.Failure,
                SourceIdentity = new ProvisionedIdentity(failure.Id.Value, failure.DisplayName, failure.Kind.ToString()),
                Steps = [new ProvisioningStep(ProvisioningStepType.Scoping, ProvisioningStatus.Failure, failure.Code, failure.Reason)],
                Error = new ProvisioningErrorInfo(failure.Code, failure.Reason, failure.RecommendedAction),
            }, cancellationToken);
            LogObjectFailed(logger, job, failure.Kind, failure.Id, failure.Reason);
        }
    }

    private static CycleReport? Gate(JobState state, DateTimeOffset now)
    {
        if (state.Status == JobStatus.Paused)
        {
            return new CycleReport
            {
                Job = state.Job,
                Status = CycleStatus.Skipped,
                Message = $"Job '{state.Job}' is paused{(state.Reason is { } reason ? $": {reason}" : ".")} Resume it to run cycles again.",
            };
        }

        if (state.Status is JobStatus.Quarantined or JobStatus.DeletionsHeld && state.NextAttemptAt is { } next && next > now)
        {
            var what = state.Status == JobStatus.Quarantined ? "is quarantined" : "holds deletions for approval";
            return new CycleReport
            {
                Job = state.Job,
                Status = CycleStatus.Skipped,
                NextAttemptAt = next,
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"Job '{state.Job}' {what}: {state.Reason} Next attempt at {next:u} (in {Admin.StatusSummary.Describe(next - now)})."),
            };
        }

        return null;
    }

    private async Task RecordEndAsync(JobId job, CycleSummary summary, bool failed, CancellationToken cancellationToken) =>
        await jobStates.UpdateAsync(job, current => current with
        {
            LastCycle = summary,
            Counters = failed
                ? current.Counters with { ConsecutiveFailedCycles = current.Counters.ConsecutiveFailedCycles + 1 }
                : current.Counters,
        }, cancellationToken);

    /// <summary>
    /// Records a failed cycle if storage lets us. A storage outage is the usual cause of a failed cycle, so this
    /// must not throw: the job stays as it was (never quarantined for it) and the next cycle repeats the work.
    /// </summary>
    private async Task TryRecordFailureAsync(JobId job, string cycleId, DateTimeOffset startedAt, string message)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var summary = new CycleSummary { CycleId = cycleId, StartedAt = startedAt, Outcome = CycleOutcome.Failed, Detail = message };
            await RecordEndAsync(job, summary, failed: true, timeout.Token);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogRecordFailed(logger, exception, job);
        }
    }

    private async Task TryReleaseAsync(CycleLease lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await jobStates.ReleaseLeaseAsync(lease, timeout.Token);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The lease expires by itself; the next cycle only waits longer.
            LogReleaseFailed(logger, exception, lease.Job);
        }
    }

    private static string FailureMessage(JobId job, Exception exception) => exception switch
    {
        _ when Find<GraphResponseTooLargeException>(exception) is { } tooLarge =>
            $"{tooLarge.Message} Nothing moved; if the directory really sends pages that large, raise the job's source.maxResponseMegabytes. The next cycle of job '{job}' repeats this one.",
        GraphAccessDeniedException denied =>
            $"Microsoft Graph refused the job's source credentials ({denied.StatusCode}): {denied.Message} Grant {denied.RequiredPermission} to the source app; the next cycle repeats this one.",
        Azure.RequestFailedException storage =>
            $"Azure Storage was unavailable ({storage.Status} {storage.ErrorCode}): {FirstLine(storage.Message)} Nothing moved; the next cycle of job '{job}' repeats this one.",
        HttpRequestException or TimeoutException or TaskCanceledException =>
            $"A service did not answer ({exception.GetType().Name}: {FirstLine(exception.Message)}). Nothing moved; the next cycle of job '{job}' repeats this one.",
        // A client that gave up after its retries (the Graph SDK) lists every answer with its whole body: name the last one.
        AggregateException { InnerExceptions.Count: > 0 } retries =>
            $"The cycle failed: {FirstLine(retries.Message).Split(" (", 2)[0]} The last answer: {FirstLine(retries.InnerExceptions[^1].Message).Split('{', 2)[0].Trim()} Nothing moved past the failure; the next cycle of job '{job}' repeats it.",
        _ => $"The cycle failed: {exception.GetType().Name}: {FirstLine(exception.Message)} Nothing moved past the failure; the next cycle of job '{job}' repeats it.",
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static CycleSummary Summary(string cycleId, DateTimeOffset startedAt, CycleOutcome outcome, CyclePlan plan, int enqueued, string? detail) => new()
    {
        CycleId = cycleId,
        StartedAt = startedAt,
        Outcome = outcome,
        FullRead = plan.FullRead,
        ObjectsRead = plan.Read(ObjectKind.User) + plan.Read(ObjectKind.Group),
        ItemsEnqueued = enqueued,
        DeprovisionsStaged = plan.Staged.Count,
        Detail = detail,
    };

    private static CycleReport Report(JobId job, string cycleId, CycleStatus status, string message, CyclePlan plan, int enqueued) => new()
    {
        Job = job,
        CycleId = cycleId,
        Status = status,
        Message = message,
        FullRead = plan.FullRead,
        UsersRead = plan.Read(ObjectKind.User),
        GroupsRead = plan.Read(ObjectKind.Group),
        Upserts = plan.Upserts,
        Deprovisions = plan.Deprovisions,
        Deletes = plan.Deletes,
        MembershipChunks = plan.MembershipChunks,
        Enqueued = enqueued,
        Staged = plan.Staged.Count,
        StagedActions = plan.Staged,
    };

    private static string NewCycleId(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: {Kind} {SourceId} failed on its own and was escrowed; the cycle goes on: {Reason}")]
    private static partial void LogObjectFailed(ILogger logger, JobId job, ObjectKind kind, SourceId sourceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: no state (watermark or objects) but the target already holds users: a first run, or a lost state store")]
    private static partial void LogStartedWithoutState(ILogger logger, JobId job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: every held deprovision is back in scope; the hold is cleared")]
    private static partial void LogHoldCleared(ILogger logger, JobId job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: another cycle holds the lease ({Holder}); not running")]
    private static partial void LogAlreadyRunning(ILogger logger, JobId job, string holder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, JobId job, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} cycle {CycleId}: {Count} work items enqueued")]
    private static partial void LogEnqueued(ILogger logger, JobId job, string cycleId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the {Kind} watermark changed during the cycle (a restart); it was not overwritten")]
    private static partial void LogWatermarkConflict(ILogger logger, JobId job, WatermarkKind kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job}: cycle failed: {Message}")]
    private static partial void LogFailed(ILogger logger, Exception exception, JobId job, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: could not record the failed cycle")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, JobId job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: could not release the cycle lease; it will expire")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, JobId job);
}
