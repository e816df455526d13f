using ScimSync.Core.Admin;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Progress;

namespace ScimSync.Cli.Output;

/// <summary>What <c>scimsync status</c> shows for one job: Core's report, with the commands that get it going again.</summary>
public sealed record JobStatusView(
    string Job,
    string? DisplayName,
    JobStatus Status,
    string Summary,
    string? WhatToDo,
    string? Reason,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? QuarantinedSince,
    CycleSummary? LastCycle,
    CycleProgress? Progress,
    JobCounters Counters,
    int QueuedMessages,
    IReadOnlyList<HeldObjectView> StagedDeletions,
    IReadOnlyList<HeldObjectView> Escrows,
    IReadOnlyList<HeldObjectView> Poisoned,
    IReadOnlyList<HeldObjectView> Unapplied,
    IReadOnlyList<HeldObjectView> Pending,
    IReadOnlyList<HeldObjectView> Drift,
    IReadOnlyList<HeldObjectView> NotProvisionedMembers,
    bool NeedsAdmin)
{

    public static JobStatusView From(JobStatusReport report, string? whatToDo, int queuedMessages)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new JobStatusView(
            report.Job.Value, report.DisplayName, report.Status, report.Summary, whatToDo, report.Reason,
            report.NextAttemptAt, report.QuarantinedSince, report.LastCycle, report.Progress, report.Counters, queuedMessages,
            [.. report.HeldDeletions.Select(HeldObjectView.From)], [.. report.Attention.Escrowed.Select(HeldObjectView.From)],
            [.. report.Attention.Poisoned.Select(HeldObjectView.From)], [.. report.Attention.Unapplied.Select(HeldObjectView.From)],
            [.. report.Attention.Pending.Select(HeldObjectView.From)], [.. report.Attention.Drift.Select(HeldObjectView.From)],
            [.. report.Attention.NotProvisionedMembers.Select(HeldObjectView.From)], report.NeedsAdmin);
    }
}

/// <summary>An object held back: a staged deletion or an object in escrow.</summary>
public sealed record HeldObjectView(string Kind, string SourceId, string? DisplayName, string What, string Reason, DateTimeOffset? Since, DateTimeOffset? NextRetryAt = null)
{
    public static HeldObjectView From(HeldObject held)
    {
        ArgumentNullException.ThrowIfNull(held);
        return new HeldObjectView(held.Kind.ToString(), held.SourceId.Value, held.DisplayName, held.What, held.Reason, held.Since, held.NextRetryAt);
    }
}
