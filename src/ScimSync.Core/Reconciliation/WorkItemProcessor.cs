using Azure;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Diagnostics;
using ScimSync.Core.Logging;
using ScimSync.Core.Mapping;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.State;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Progress;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Reconciles one work item against its job's SCIM target and records the result: the object's state (or escrow,
/// or its change left pending) and exactly one provisioning log entry an admin can read. The cycle's progress is the
/// settlement's to record, once per item. Never throws for a failure of
/// the object, the target or the state storage; the outcome says what the worker does with the message.
/// </summary>
public sealed class WorkItemProcessor : IWorkItemProcessor
{
    /// <summary>How often an item is read and decided again when another worker changed its state meanwhile.</summary>
    public const int MaxStateAttempts = 3;

    private readonly JobCatalog _jobs;
    private readonly JobScimClients _clients;
    private readonly ObjectStateStore _objects;
    private readonly ProvisioningLogStore _logs;
    private readonly ScimSyncMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<WorkItemProcessor> _logger;
    private readonly ObjectUpserter _upserter;
    private readonly ObjectDeprovisioner _deprovisioner;
    private readonly MembershipReconciler _memberships;
    private readonly Worker.RedrivePolicy _redrive;

    public WorkItemProcessor(
        JobCatalog jobs,
        JobScimClients clients,
        MappingEngine mapping,
        ObjectStateStore objects,
        TargetLinkStore links,
        MembershipStore memberships,
        TargetIdSnapshots snapshots,
        ProvisioningLogStore logs,
        Worker.RedrivePolicy redrive,
        ScimSyncMetrics metrics,
        TimeProvider time,
        ILogger<WorkItemProcessor> logger)
    {
        _jobs = jobs;
        _clients = clients;
        _objects = objects;
        _logs = logs;
        _redrive = redrive;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _upserter = new ObjectUpserter(mapping, objects, links, memberships, snapshots, time);
        _deprovisioner = new ObjectDeprovisioner(objects, snapshots);
        _memberships = new MembershipReconciler(objects, memberships, new MemberResolver(objects, snapshots));
    }

    /// <inheritdoc />
    public Task<WorkItemOutcome> ProcessAsync(WorkItem item, CancellationToken cancellationToken = default) =>
        ProcessAsync(item, RetryChances.None, cancellationToken);

    /// <inheritdoc />
    public async Task<WorkItemOutcome> ProcessAsync(WorkItem item, RetryChances chances, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(chances);
        using var activity = ScimSyncTelemetry.Source.StartActivity("scimsync.work_item");
        activity?.SetTag("scimsync.job", item.Job.Value);
        activity?.SetTag("scimsync.work_item.id", item.Id);
        activity?.SetTag("scimsync.object.kind", item.Kind.ToString());
        activity?.SetTag("scimsync.operation", item.Operation.ToString());
        var started = _time.GetTimestamp();
        var record = new ReconciliationRecord();
        var job = _jobs.Jobs.FirstOrDefault(j => j.Id == item.Job);
        WorkItemResult result;
        ReconciliationError? error = null;
        if (job is null)
        {
            error = new ReconciliationError(
                WorkItemResult.Failed, "UnknownJob",
                $"The work item belongs to job '{item.Job}', which is not in the job file (jobs: {string.Join(", ", _jobs.Jobs.Select(j => j.Id.Value))}).",
                "Restore the job in the job file, or let the item go: it is not retried.");
            result = error.Result;
        }
        else
        {
            (result, error) = await ReconcileAsync(job, item, record, cancellationToken).ConfigureAwait(false);
            if (error is { Escrows: true })
            {
                await EscrowAsync(job, item, error, cancellationToken).ConfigureAwait(false);
            }
            else if (error is null)
            {
                await SettleAsync(job, item, record, cancellationToken).ConfigureAwait(false);
            }
        }

        var outcome = error?.ToOutcome() ?? (result == WorkItemResult.Skipped
            ? new WorkItemOutcome(WorkItemResult.Skipped, record.Skip?.Reason)
            : WorkItemOutcome.Success);
        if (error is not null && chances.Retries(error.Result))
        {
            // Not the final outcome: the resend carries it, and the final attempt's one log entry shows it as a step.
            ReconciliationLog.Failed(_logger, item.Kind.ToString(), item.SourceId.Value, item.Job.Value, error.Result, error.ErrorCode, error.Reason);
            outcome = outcome with { Note = new AttemptNote(_time.GetUtcNow(), error.ErrorCode, error.Reason) };
        }
        else
        {
            await RecordAsync(item, record, outcome, error, started, cancellationToken).ConfigureAwait(false);
        }

        activity?.SetTag("scimsync.outcome", outcome.Result.ToString());
        _metrics.RecordWorkItem(item, outcome.Result);
        return outcome;
    }

    private async Task<(WorkItemResult, ReconciliationError?)> ReconcileAsync(
        ProvisioningJob job, WorkItem item, ReconciliationRecord record, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var client = await _clients.GetAsync(job, cancellationToken).ConfigureAwait(false);
                var context = new ReconciliationContext(job, item, client, record)
                {
                    InsertedRow = attempt == 1 ? ObjectStateStore.InsertedRowOf(item) : null,
                };
                var result = item.Operation switch
                {
                    WorkOperation.Upsert => await _upserter.UpsertAsync(context, cancellationToken).ConfigureAwait(false),
                    WorkOperation.Deprovision or WorkOperation.Delete => await _deprovisioner.DeprovisionAsync(context, cancellationToken).ConfigureAwait(false),
                    WorkOperation.MembershipChunk => await _memberships.ApplyAsync(context, cancellationToken).ConfigureAwait(false),
                    _ => throw new ReconciliationException(new ReconciliationError(
                        WorkItemResult.Failed, "UnknownOperation", $"The work item's operation {item.Operation} is not one this version of ScimSync knows.",
                        "Upgrade every ScimSync instance that reads the queue to the same version.")),
                };
                return (result, null);
            }
            catch (StateConflictException) when (attempt < MaxStateAttempts)
            {
                ReconciliationLog.StateChanged(_logger, item.Kind, item.SourceId.Value, job.Id.Value, attempt);
                record.Restart("Another worker changed this object's state meanwhile; it was read and decided again.");
            }
            catch (StateConflictException conflict)
            {
                return (WorkItemResult.RetryLater, new ReconciliationError(
                    WorkItemResult.RetryLater, "StateConflict",
                    $"{conflict.Message} It changed on each of {MaxStateAttempts} attempts, so the item is retried later."));
            }
            catch (ReconciliationException failure)
            {
                return (failure.Error.Result, failure.Error);
            }
            catch (ScimException failure)
            {
                var context = record.SourceDisplayName is { } name ? $"{item.Kind} '{name}'" : $"{item.Kind} {item.SourceId}";
                var classified = ScimFailureClassifier.Classify(failure, $"reconciling {context}");
                return (classified.Result, classified);
            }
            catch (StateEntityTooLargeException tooLarge)
            {
                return (WorkItemResult.Failed, new ReconciliationError(
                    WorkItemResult.Failed, "StateEntityTooLarge", tooLarge.Message,
                    "Map fewer or shorter attributes for this object."));
            }
            catch (RequestFailedException storage)
            {
                return (WorkItemResult.RetryLater, new ReconciliationError(
                    WorkItemResult.RetryLater, "StateStorageUnavailable",
                    $"The state storage did not answer ({storage.Status} {storage.ErrorCode}); the item is retried later.",
                    "Check the storage account setting if this persists."));
            }
        }
    }

    /// <summary>
    /// Clears the object's pending change (or the group's pending members) now that the target holds it; a change the
    /// target did not keep stays pending for a later cycle. A failure to record this only means the change is tried again.
    /// </summary>
    private async Task SettleAsync(ProvisioningJob job, WorkItem item, ReconciliationRecord record, CancellationToken cancellationToken)
    {
        var kind = item.Operation == WorkOperation.MembershipChunk ? Directory.ObjectKind.Group : item.Kind;
        try
        {
            if (record.Unapplied)
            {
                await _objects.RecordUnsettledAsync(
                    job.Id, kind, item.SourceId, item.Operation, item.ChangeId,
                    new ObjectError("AttributeNotKept", string.Join(" ", record.Warnings), "If the target keeps refusing the value, check the attribute mapping against what the target supports.", _time.GetUtcNow()),
                    countsAgainstObject: true, poisoned: false, _time.GetUtcNow() + _redrive.RedriveDelay(item.Generation), cancellationToken).ConfigureAwait(false);
                return;
            }

            var isMembership = item.Operation == WorkOperation.MembershipChunk;
            if (record.ChangeSettled && !isMembership)
            {
                return;
            }

            await _objects.SettleAsync(
                job.Id, kind, item.SourceId, isMembership ? null : item.ChangeId, isMembership && record.MembersSettled, record.Row, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is RequestFailedException or InvalidOperationException)
        {
            ReconciliationLog.RecordingFailed(_logger, failure, item.Id, item.Job.Value);
        }
    }

    private async Task EscrowAsync(ProvisioningJob job, WorkItem item, ReconciliationError error, CancellationToken cancellationToken)
    {
        var kind = item.Operation == WorkOperation.MembershipChunk ? Directory.ObjectKind.Group : item.Kind;
        try
        {
            await _objects.RecordFailureAsync(
                job.Id, kind, item.SourceId,
                new ObjectError(error.ErrorCode, error.Reason, error.RecommendedAction, _time.GetUtcNow()),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is RequestFailedException or InvalidOperationException)
        {
            ReconciliationLog.RecordingFailed(_logger, failure, item.Id, item.Job.Value);
        }
    }

    private async Task RecordAsync(
        WorkItem item, ReconciliationRecord record, WorkItemOutcome outcome, ReconciliationError? error, long started,
        CancellationToken cancellationToken)
    {
        var identityType = item.Kind.ToString();
        var status = error is not null ? ProvisioningStatus.Failure
            : record.Skip is not null ? ProvisioningStatus.Skipped
            : record.Warnings.Count > 0 ? ProvisioningStatus.Warning
            : ProvisioningStatus.Success;
        var errorInfo = error?.ToLogError()
            ?? (record.Skip is { } skip ? new ProvisioningErrorInfo(skip.Code, skip.Reason, skip.RecommendedAction, null, ProvisioningErrorCategory.Success)
            : record.Warnings.Count > 0 ? new ProvisioningErrorInfo(record.Steps.Last(s => s.Status == ProvisioningStatus.Warning).Name, string.Join(" ", record.Warnings), null, null, ProvisioningErrorCategory.Success)
            : null);
        var steps = EarlierAttemptSteps(item).Concat(record.Steps).ToList();
        if (error is not null)
        {
            steps.Add(new ProvisioningStep(StepOf(record), ProvisioningStatus.Failure, error.ErrorCode, error.Reason,
                error.AdditionalDetails is null ? null : new Dictionary<string, string> { ["Target"] = error.AdditionalDetails }));
        }

        var entry = new ProvisioningLogEntry
        {
            Id = Guid.NewGuid().ToString(),
            Job = item.Job,
            CycleId = item.CycleId,
            ChangeId = item.Id,
            ActivityDateTime = _time.GetUtcNow(),
            Action = record.Action,
            Status = status,
            SourceIdentity = new ProvisionedIdentity(item.SourceId.Value, record.SourceDisplayName, identityType),
            TargetIdentity = record.TargetId is { } target ? new ProvisionedIdentity(target.Value, record.TargetDisplayName ?? record.SourceDisplayName, identityType) : null,
            Steps = steps,
            ModifiedProperties = record.ModifiedProperties,
            Error = errorInfo,
            DurationInMilliseconds = (int)Math.Min(int.MaxValue, _time.GetElapsedTime(started).TotalMilliseconds),
        };

        if (error is not null)
        {
            ReconciliationLog.Failed(_logger, identityType, item.SourceId.Value, item.Job.Value, error.Result, error.ErrorCode, error.Reason);
        }
        else
        {
            ReconciliationLog.Reconciled(_logger, identityType, item.SourceId.Value, item.Job.Value, item.Id, outcome.Result, record.Action);
        }

        try
        {
            await _logs.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException failure)
        {
            // The change itself is done (or decided); losing its log row must not make the worker repeat it.
            ReconciliationLog.RecordingFailed(_logger, failure, item.Id, item.Job.Value);
        }
    }

    /// <summary>The progress a finished item counts as; null while the item is still to be retried.</summary>
    public static ItemOutcome? ProgressOf(WorkItemResult result) => result switch
    {
        WorkItemResult.Succeeded => ItemOutcome.Done,
        WorkItemResult.Skipped => ItemOutcome.Skipped,
        WorkItemResult.Failed => ItemOutcome.Failed,
        _ => null,
    };

    /// <summary>The item's earlier attempts, each as one step, before the final attempt's own steps.</summary>
    private static IEnumerable<ProvisioningStep> EarlierAttemptSteps(WorkItem item)
    {
        var first = item.Resends - item.EarlierAttempts.Count;
        if (first > 0)
        {
            yield return new ProvisioningStep(ProvisioningStepType.Processing, ProvisioningStatus.Failure, "EarlierAttempts",
                $"{first} earlier attempt(s) are not listed; the latest {WorkItem.MaxEarlierAttempts} at most are.");
        }

        foreach (var (note, index) in item.EarlierAttempts.Select((note, index) => (note, index)))
        {
            yield return new ProvisioningStep(ProvisioningStepType.Processing, ProvisioningStatus.Failure, note.Code,
                $"Attempt {first + index + 1} ({note.At.UtcDateTime:u}) was retried: {note.Reason}");
        }
    }

    private static ProvisioningStepType StepOf(ReconciliationRecord record) =>
        record.Steps.Count == 0 ? ProvisioningStepType.Import
        : record.Steps[^1].Type is ProvisioningStepType.Import or ProvisioningStepType.Scoping ? ProvisioningStepType.Processing
        : record.Steps[^1].Type == ProvisioningStepType.Processing ? ProvisioningStepType.Export
        : record.Steps[^1].Type;
}
