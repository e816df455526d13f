using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Progress;
using ScimSync.Core.State.Staging;
using ScimSync.Core.State.Watermarks;

namespace ScimSync.Core.Admin;

/// <summary>
/// What an admin does to a job: pause and resume it, restart it with Entra's reset options, allow or dismiss held
/// deletions, and clear its quarantine. Every state change is an ETag-guarded write.
/// </summary>
public sealed partial class JobControlService(
    JobCatalog catalog,
    JobStateStore jobStates,
    WatermarkStore watermarks,
    ObjectStateStore objects,
    StagedActionStore stagedActions,
    ProgressStore progress,
    SourceMembershipStore sourceMemberships,
    TableAssignmentSnapshotStore assignmentSnapshots,
    StateTables tables,
    IWorkItemSender sender,
    TimeProvider timeProvider,
    ILogger<JobControlService> logger)
{
    /// <summary>Pauses the job: cycles stop, state and watermark are kept. A cycle in progress finishes.</summary>
    public async Task<JobActionResult> PauseAsync(JobId job, string? reason = null, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        LogAdmin(logger, job, "pause");
        var state = await jobStates.UpdateAsync(job, state => state with
        {
            Status = JobStatus.Paused,
            Reason = string.IsNullOrWhiteSpace(reason) ? "Paused by an admin." : reason,
            NextAttemptAt = null,
        }, cancellationToken);
        return new JobActionResult(job, JobAction.Pause, state.Status, 0, $"Job '{job}' is paused; its state and watermark are kept. Resume it to run cycles again.");
    }

    /// <summary>Resumes a paused job; like Entra's Start, it also lifts a quarantine. Held deletions stay held.</summary>
    public async Task<JobActionResult> ResumeAsync(JobId job, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        LogAdmin(logger, job, "resume");
        var held = await stagedActions.ListAsync(job, cancellationToken).AnyAsync(cancellationToken);
        var resumed = await jobStates.UpdateAsync(job, state => state.Status switch
        {
            JobStatus.Paused or JobStatus.Quarantined when held => state with
            {
                Status = JobStatus.DeletionsHeld,
                Reason = "Deprovisions held by the deletion guard still wait for approval (allow-deletes).",
                NextAttemptAt = null,
                QuarantinedSince = null,
                NextCycleAt = null,
            },
            JobStatus.Paused or JobStatus.Quarantined => state with { Status = JobStatus.Active, Reason = null, NextAttemptAt = null, QuarantinedSince = null, NextCycleAt = null },
            _ => state,
        }, cancellationToken);
        return new JobActionResult(job, JobAction.Resume, resumed.Status, 0, resumed.Status switch
        {
            JobStatus.Active => $"Job '{job}' is active; its next cycle runs at the next tick.",
            _ => $"Job '{job}' is {resumed.Status}: {resumed.Reason}",
        });
    }

    /// <summary>Lifts the job's quarantine so the next cycle runs at once.</summary>
    public async Task<JobActionResult> ClearQuarantineAsync(JobId job, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        LogAdmin(logger, job, "clear quarantine");
        var state = await jobStates.UpdateAsync(job, state => state.Status == JobStatus.Quarantined
            ? state with { Status = JobStatus.Active, Reason = null, NextAttemptAt = null, QuarantinedSince = null, NextCycleAt = null }
            : state, cancellationToken);
        return new JobActionResult(job, JobAction.ClearQuarantine, state.Status, 0, $"Job '{job}' is {state.Status}.");
    }

    /// <summary>
    /// Enqueues every held deprovision (Entra's Allow deletes, <c>resetScope=ForceDeletes</c>), then lifts the hold.
    /// Each batch is removed from the held list only after it is enqueued, so a crash loses nothing.
    /// </summary>
    public async Task<JobActionResult> AllowDeletesAsync(JobId job, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        var now = timeProvider.GetUtcNow();
        var cycleId = string.Create(CultureInfo.InvariantCulture, $"allow-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}");
        var released = await stagedActions.ReleaseAsync(job, async (batch, ct) =>
        {
            var items = batch.Select(action => action.Operation == WorkOperation.Delete
                ? WorkItem.Delete(job, cycleId, action.Kind, action.SourceId, now)
                : WorkItem.Deprovision(job, cycleId, action.Kind, action.SourceId, null, now)).ToList();
            await sender.SendAsync(items, ct);
        }, cancellationToken: cancellationToken);
        await progress.SetEnqueuedAsync(job, cycleId, released, cancellationToken);
        var state = await LiftDeletionHoldAsync(job, cancellationToken);
        LogReleased(logger, job, released);
        return new JobActionResult(job, JobAction.AllowDeletes, state.Status, released,
            $"Released {released:N0} held deprovision(s) of job '{job}' to the work queue.");
    }

    /// <summary>
    /// Dismisses every held deprovision without applying it, then lifts the hold. The objects stay as they are in
    /// the target; a later cycle that still finds them out of scope deprovisions (or stages) them again.
    /// </summary>
    public async Task<JobActionResult> DismissHeldDeletesAsync(JobId job, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        var dismissed = await stagedActions.ClearAsync(job, cancellationToken);
        var state = await LiftDeletionHoldAsync(job, cancellationToken);
        LogAdmin(logger, job, "dismiss held deletes");
        return new JobActionResult(job, JobAction.DismissHeldDeletes, state.Status, dismissed,
            $"Dismissed {dismissed:N0} held deprovision(s) of job '{job}'; nothing was changed in the target.");
    }

    /// <summary>
    /// Restarts the job as Entra's restart does with <paramref name="scope"/> (default: quarantine state, watermark
    /// and escrows). Run it while no cycle runs; a cycle in progress keeps its own reading position.
    /// </summary>
    public async Task<JobActionResult> RestartAsync(JobId job, RestartScope scope = RestartScope.Default, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        LogRestart(logger, job, scope);
        if (scope.HasFlag(RestartScope.Watermark))
        {
            foreach (var kind in Enum.GetValues<WatermarkKind>())
            {
                if (await watermarks.GetAsync(job, kind, cancellationToken) is { } mark)
                {
                    await watermarks.DeleteAsync(mark, cancellationToken);
                }
            }

            await sourceMemberships.ClearAsync(job, cancellationToken);
            await assignmentSnapshots.ClearAsync(job, cancellationToken);
        }

        if (scope.HasFlag(RestartScope.Escrows))
        {
            await ClearEscrowsAsync(job, cancellationToken);
        }

        if (scope.HasFlag(RestartScope.Full))
        {
            await stagedActions.ClearAsync(job, cancellationToken);
            await DeletePartitionsAsync(StateTable.Objects, ObjectStateStore.PartitionKey(job, ObjectKind.User), exactPartition: true, cancellationToken);
            await DeletePartitionsAsync(StateTable.Objects, ObjectStateStore.PartitionKey(job, ObjectKind.Group), exactPartition: true, cancellationToken);
            await DeletePartitionsAsync(StateTable.Memberships, TableKey.Compose(job.Value, string.Empty), exactPartition: false, cancellationToken);
        }

        if (scope.HasFlag(RestartScope.QuarantineState))
        {
            var held = await stagedActions.ListAsync(job, cancellationToken).AnyAsync(cancellationToken);
            await jobStates.UpdateAsync(job, state => state.Status switch
            {
                JobStatus.Quarantined or JobStatus.DeletionsHeld when held => state with
                {
                    Status = JobStatus.DeletionsHeld,
                    Reason = "Deprovisions held by the deletion guard still wait for approval (allow-deletes).",
                    NextAttemptAt = null,
                    QuarantinedSince = null,
                NextCycleAt = null,
                },
                JobStatus.Quarantined or JobStatus.DeletionsHeld => state with { Status = JobStatus.Active, Reason = null, NextAttemptAt = null, QuarantinedSince = null, NextCycleAt = null },
                _ => state,
            }, cancellationToken);
        }

        var after = (await jobStates.GetAsync(job, cancellationToken))?.Value ?? new JobState(job);
        return new JobActionResult(job, JobAction.Restart, after.Status, 0, $"Job '{job}' restarted ({scope}); the next cycle starts from there.");
    }

    private Task<JobState> LiftDeletionHoldAsync(JobId job, CancellationToken cancellationToken) =>
        jobStates.UpdateAsync(job, state => state.Status == JobStatus.DeletionsHeld
            ? state with { Status = JobStatus.Active, Reason = null, NextAttemptAt = null }
            : state, cancellationToken);

    private async Task ClearEscrowsAsync(JobId job, CancellationToken cancellationToken)
    {
        foreach (var kind in Enum.GetValues<ObjectKind>())
        {
            var escrowed = await objects.ListEscrowsAsync(job, kind, cancellationToken).ToListAsync(cancellationToken);
            foreach (var row in escrowed)
            {
                var cleared = row.Value with
                {
                    EscrowCount = 0,
                    NextRetryAt = null,
                    LastError = null,
                    Status = row.Value.TargetId is null ? ObjectStatus.Skipped : ObjectStatus.Provisioned,
                };

                // A worker that wrote the row meanwhile has newer news about it; leave that row as it is.
                await objects.SaveAsync(cleared, row.ETag, cancellationToken);
            }
        }
    }

    private async Task DeletePartitionsAsync(StateTable name, string partition, bool exactPartition, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(name, cancellationToken);
        // Composite partitions "job|…" sort between "job|" and "job}" ('}' follows '|').
        var filter = exactPartition
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey ge {partition} and PartitionKey lt {partition[..^1] + "}"}");
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        foreach (var samePartition in rows.GroupBy(row => row.PartitionKey, StringComparer.Ordinal))
        {
            await TableWrites.SubmitInBatchesAsync(
                table, samePartition.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: admin {Operation}")]
    private static partial void LogAdmin(ILogger logger, JobId job, string operation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: restart ({Scope})")]
    private static partial void LogRestart(ILogger logger, JobId job, RestartScope scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: {Count} held deprovisions allowed and enqueued")]
    private static partial void LogReleased(ILogger logger, JobId job, int count);
}
