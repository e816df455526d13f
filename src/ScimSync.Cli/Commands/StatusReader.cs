using ScimSync.Cli.Hosting;
using ScimSync.Cli.Output;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Progress;
using ScimSync.Core.State.Staging;

namespace ScimSync.Cli.Commands;

/// <summary>Reads a job's state, progress, held deletions and escrows from the state tables for <c>status</c>.</summary>
public static class StatusReader
{
    public static async Task<JobStatusView> ReadAsync(CliSession session, ProvisioningJob job, int queuedMessages, CancellationToken cancellationToken)
    {
        var now = session.Get<TimeProvider>().GetUtcNow();
        var state = (await session.Get<JobStateStore>().GetAsync(job.Id, cancellationToken))?.Value ?? new JobState(job.Id);
        CycleProgress? progress = null;
        if (state.LastCycle is { } last)
        {
            var read = await session.Get<ProgressStore>().GetAsync(job.Id, last.CycleId, cancellationToken);
            progress = read.Enqueued > 0 || read.Finished > 0 ? read : null;
        }

        var staged = new List<HeldObjectView>();
        await foreach (var action in session.Get<StagedActionStore>().ListAsync(job.Id, cancellationToken))
        {
            var value = action.Value;
            staged.Add(new HeldObjectView(value.Kind.ToString(), value.SourceId.Value, value.DisplayName, value.Operation.ToString(), value.Reason, value.StagedAt));
        }

        var escrows = new List<HeldObjectView>();
        var objects = session.Get<ObjectStateStore>();
        foreach (var kind in new[] { ObjectKind.User, ObjectKind.Group })
        {
            await foreach (var escrowed in objects.ListEscrowsAsync(job.Id, kind, cancellationToken))
            {
                var value = escrowed.Value;
                var error = value.LastError;
                escrows.Add(new HeldObjectView(
                    kind.ToString(), value.SourceId.Value, null, error?.Code ?? "Failed",
                    error is null ? $"failed {value.EscrowCount} time(s)" : $"{error.Message}{(error.RecommendedAction is { } action ? " " + action : string.Empty)}",
                    error?.OccurredAt, value.NextRetryAt));
            }
        }

        return new JobStatusView(
            job.Id.Value, job.Definition.DisplayName, state.Status, Describe(job, state, staged.Count, now), state.Reason,
            state.NextAttemptAt, state.QuarantinedSince, state.LastCycle, progress, state.Counters, queuedMessages, staged, escrows);
    }

    /// <summary>The job's state in plain words, with what an admin can do about it.</summary>
    public static string Describe(ProvisioningJob job, JobState state, int stagedCount, DateTimeOffset now)
    {
        var id = job.Id.Value;
        var reason = state.Reason is { Length: > 0 } r ? r.TrimEnd('.') : null;
        var next = state.NextAttemptAt is { } at ? $" Next attempt: {PlainTime.At(at, now)}." : string.Empty;
        return state.Status switch
        {
            JobStatus.Active when state.LastCycle is null => $"Active. No cycle has run yet: run 'scimsync sync --job {id}'.",
            JobStatus.Active => $"Active: a cycle runs every {PlainTime.Duration(job.Definition.Policy.Interval)}.",
            JobStatus.Paused => $"Paused{(reason is null ? " by an admin" : ": " + reason)}. No cycle runs until 'scimsync resume --job {id}'.",
            JobStatus.Quarantined =>
                $"Quarantined{(state.QuarantinedSince is { } since ? " since " + PlainTime.At(since, now) : string.Empty)}" +
                $"{(reason is null ? string.Empty : ": " + reason)}. Cycles run at a reduced frequency until one succeeds.{next} " +
                $"Fix the cause, then run 'scimsync restart --job {id} --scope QuarantineState' to clear it now.",
            JobStatus.DeletionsHeld =>
                $"Deletions held: {stagedCount} deprovision(s) exceeded the deletion threshold ({job.Definition.Policy.DeletionThreshold}) and wait for an admin" +
                $"{(reason is null ? string.Empty : " (" + reason + ")")}. Review them below, then run 'scimsync allow-deletes --job {id}'.",
            _ => state.Status.ToString(),
        };
    }

    /// <summary>How many messages wait in the work queue, or -1 when the queue cannot be read.</summary>
    public static async Task<int> QueuedMessagesAsync(CliSession session, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Get<IWorkQueue>().GetApproximateCountAsync(cancellationToken);
        }
        catch (Azure.RequestFailedException missing) when (missing.Status == 404)
        {
            return 0;
        }
    }
}
