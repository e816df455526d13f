using ScimSync.Cli.Hosting;
using ScimSync.Cli.Output;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Staging;

namespace ScimSync.Cli.Commands;

/// <summary>Reads a job's state, progress, held deletions and escrows from the state tables for <c>status</c>.</summary>
public static class StatusReader
{
    public static async Task<JobStatusView> ReadAsync(CliSession session, ProvisioningJob job, int queuedMessages, CancellationToken cancellationToken)
    {
        var report = await session.Get<JobAdministration>().GetStatusAsync(job.Id, cancellationToken);
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

        var progress = report.Progress is { } read && (read.Enqueued > 0 || read.Finished > 0) ? read : null;
        return new JobStatusView(
            job.Id.Value, report.DisplayName, report.Status, report.Summary, WhatToDo(job, report.Status), report.Reason,
            report.NextAttemptAt, report.QuarantinedSince, report.LastCycle, progress, report.Counters, queuedMessages, staged, escrows);
    }

    /// <summary>The commands that get a job going again, for a job that is not simply active.</summary>
    public static string? WhatToDo(ProvisioningJob job, JobStatus status)
    {
        var id = job.Id.Value;
        return status switch
        {
            JobStatus.Paused => $"Run 'scimsync resume --job {id}' to start its cycles again.",
            JobStatus.Quarantined => $"Fix the cause (the token setting, the target URL, the failing mappings), then run 'scimsync restart --job {id} --scope QuarantineState' to lift the quarantine now, or wait for the next attempt.",
            JobStatus.DeletionsHeld => $"Review the held deletions below. If they are right, run 'scimsync allow-deletes --job {id}'; if the source read was wrong, fix it and run 'scimsync restart --job {id} --scope Watermark'.",
            _ => null,
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
