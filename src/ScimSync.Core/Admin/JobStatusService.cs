using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Jobs;
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
            Attention = new ObjectsNeedingAttention { Escrowed = await EscrowedAsync(job, cancellationToken) },
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

    private async Task<IReadOnlyList<HeldObject>> EscrowedAsync(JobId job, CancellationToken cancellationToken)
    {
        var escrowed = new List<HeldObject>();
        foreach (var kind in new[] { ObjectKind.User, ObjectKind.Group })
        {
            await foreach (var row in objects.ListEscrowsAsync(job, kind, cancellationToken))
            {
                var value = row.Value;
                var error = value.LastError;
                escrowed.Add(new HeldObject(
                    kind, value.SourceId, null, error?.Code ?? "Failed",
                    error is null ? $"failed {value.EscrowCount} time(s)" : $"{error.Message}{(error.RecommendedAction is { } action ? " " + action : string.Empty)}",
                    error?.OccurredAt, value.NextRetryAt));
            }
        }

        return escrowed;
    }
}
