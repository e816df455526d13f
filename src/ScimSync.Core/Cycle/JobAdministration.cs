using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Progress;
using ScimSync.Core.State.Staging;
using ScimSync.Core.State.Watermarks;

namespace ScimSync.Core.Cycle;

/// <summary>
/// What an admin does with a job: read its status, pause and resume it, restart it with Entra's reset options,
/// allow or dismiss held deletions, and clear its quarantine. Every state change is an ETag-guarded write.
/// </summary>
public sealed partial class JobAdministration(
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
    StagedDeprovisionReview stagedReview,
    Worker.RedrivePolicy redrive,
    TimeProvider timeProvider,
    ILogger<JobAdministration> logger)
{
    /// <summary>The job's status in plain words, with its last cycle's progress, held deletions and escrow.</summary>
    public async Task<JobStatusReport> GetStatusAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var definition = catalog.Get(job);
        var state = (await jobStates.GetAsync(job, cancellationToken))?.Value ?? new JobState(job);
        var cycleProgress = state.LastCycle is { } last ? await progress.GetAsync(job, last.CycleId, cancellationToken) : null;
        var staged = await stagedActions.ListAsync(job, cancellationToken).CountAsync(cancellationToken);
        var escrows = await objects.ListEscrowsAsync(job, ObjectKind.User, cancellationToken).CountAsync(cancellationToken)
            + await objects.ListEscrowsAsync(job, ObjectKind.Group, cancellationToken).CountAsync(cancellationToken);
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
            Summary = Summarize(state, staged, timeProvider.GetUtcNow()),
            Reason = state.Reason,
            NextAttemptAt = state.NextAttemptAt,
            QuarantinedSince = state.QuarantinedSince,
            LastCycle = state.LastCycle,
            Progress = cycleProgress,
            Counters = state.Counters,
            StagedCount = staged,
            EscrowCount = escrows,
            Watermarks = marks,
        };
    }

    /// <summary>Pauses the job: cycles stop, state and watermark are kept. A cycle in progress finishes.</summary>
    public Task<JobState> PauseAsync(JobId job, string? reason = null, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        LogAdmin(logger, job, "pause");
        return jobStates.UpdateAsync(job, state => state with
        {
            Status = JobStatus.Paused,
            Reason = reason ?? "Paused by an admin.",
            NextAttemptAt = null,
        }, cancellationToken);
    }

    /// <summary>Resumes a paused job; like Entra's Start, it also lifts a quarantine. Held deletions stay held.</summary>
    public async Task<JobState> ResumeAsync(JobId job, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        LogAdmin(logger, job, "resume");
        var held = await stagedActions.ListAsync(job, cancellationToken).AnyAsync(cancellationToken);
        return await jobStates.UpdateAsync(job, state => state.Status switch
        {
            JobStatus.Paused or JobStatus.Quarantined when held => state with
            {
                Status = JobStatus.DeletionsHeld,
                Reason = "Deprovisions held by the deletion guard still wait for approval (allow-deletes).",
                NextAttemptAt = null,
                QuarantinedSince = null,
            },
            JobStatus.Paused or JobStatus.Quarantined => state with { Status = JobStatus.Active, Reason = null, NextAttemptAt = null, QuarantinedSince = null },
            _ => state,
        }, cancellationToken);
    }

    /// <summary>Lifts the job's quarantine so the next cycle runs at once.</summary>
    public Task<JobState> ClearQuarantineAsync(JobId job, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        LogAdmin(logger, job, "clear quarantine");
        return jobStates.UpdateAsync(job, state => state.Status == JobStatus.Quarantined
            ? state with { Status = JobStatus.Active, Reason = null, NextAttemptAt = null, QuarantinedSince = null }
            : state, cancellationToken);
    }

    /// <summary>
    /// Enqueues every held deprovision (Entra's Allow deletes, <c>resetScope=ForceDeletes</c>) whose object is still out
    /// of scope or gone from the directory, then lifts the hold; those back in scope are dropped. Each batch is removed
    /// from the held list only after it is enqueued, so a crash loses nothing.
    /// </summary>
    /// <returns>How many deprovisions were enqueued.</returns>
    public async Task<int> AllowDeletesAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var definition = catalog.Get(job);
        var now = timeProvider.GetUtcNow();
        var cycleId = string.Create(CultureInfo.InvariantCulture, $"allow-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}");
        var released = 0;
        await stagedActions.ReleaseAsync(job, async (batch, ct) =>
        {
            // The list may be stale: an object whose assignment was restored since the hold is never deactivated.
            var still = await stagedReview.StillWantedAsync(definition, batch, ct);
            var items = still.Select(action => action.Operation == WorkOperation.Delete
                ? WorkItem.Delete(job, cycleId, action.Kind, action.SourceId, now)
                : WorkItem.Deprovision(job, cycleId, action.Kind, action.SourceId, null, now)).ToList();
            await objects.RecordPendingAsync(job, items.Select(item => new PendingRecord(
                item.Kind, item.SourceId, new PendingChange(item.Operation, item.ChangeId, now), false, now + redrive.InFlight(0), null)), ct);
            await sender.SendAsync(items, ct);
            released += items.Count;
        }, cancellationToken: cancellationToken);
        await progress.SetEnqueuedAsync(job, cycleId, released, cancellationToken);
        await LiftDeletionHoldAsync(job, cancellationToken);
        LogReleased(logger, job, released);
        return released;
    }

    /// <summary>Dismisses every held deprovision (they will not happen), then lifts the hold.</summary>
    /// <returns>How many were dismissed.</returns>
    public async Task<int> DismissHeldDeletesAsync(JobId job, CancellationToken cancellationToken = default)
    {
        catalog.Get(job);
        var dismissed = await stagedActions.ClearAsync(job, cancellationToken);
        await LiftDeletionHoldAsync(job, cancellationToken);
        LogAdmin(logger, job, "dismiss held deletes");
        return dismissed;
    }

    /// <summary>
    /// Restarts the job as Entra's restart does with <paramref name="scope"/> (default: quarantine state, watermark
    /// and escrows). Run it while no cycle runs; a cycle in progress keeps its own reading position.
    /// </summary>
    public async Task RestartAsync(JobId job, RestartScope scope = RestartScope.Default, CancellationToken cancellationToken = default)
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
                },
                JobStatus.Quarantined or JobStatus.DeletionsHeld => state with { Status = JobStatus.Active, Reason = null, NextAttemptAt = null, QuarantinedSince = null },
                _ => state,
            }, cancellationToken);
        }
    }

    /// <summary>A duration in plain words: "5 h 3 min", "40 s".</summary>
    public static string Describe(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return "now";
        }

        if (span.TotalDays >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h");
        }

        if (span.TotalHours >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min");
        }

        return span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)span.TotalSeconds)} s");
    }

    internal static string Summarize(JobState state, int staged, DateTimeOffset now)
    {
        var next = state.NextAttemptAt is { } at
            ? string.Create(CultureInfo.InvariantCulture, $" Next attempt at {at:u} (in {Describe(at - now)}).")
            : string.Empty;
        return state.Status switch
        {
            JobStatus.Active => state.LastCycle is { } last
                ? string.Create(CultureInfo.InvariantCulture, $"Active. Last cycle {last.CycleId} {last.Outcome.ToString().ToLowerInvariant()} at {(last.CompletedAt ?? last.StartedAt):u}.")
                : "Active. No cycle has run yet; the first one reads the whole directory.",
            JobStatus.Paused => $"Paused: {state.Reason ?? "by an admin."} Resume the job to run cycles again.",
            JobStatus.Quarantined => string.Create(CultureInfo.InvariantCulture,
                $"Quarantined since {state.QuarantinedSince:u}: {state.Reason} While quarantined the job runs at its quarantine interval; one successful cycle lifts it.{next}"),
            JobStatus.DeletionsHeld => string.Create(CultureInfo.InvariantCulture,
                $"{staged:N0} deprovisions held for approval: {state.Reason}{next}"),
            _ => state.Status.ToString(),
        };
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
