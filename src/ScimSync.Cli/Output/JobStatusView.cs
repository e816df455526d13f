using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Progress;

namespace ScimSync.Cli.Output;

/// <summary>What <c>scimsync status</c> shows for one job.</summary>
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
    IReadOnlyList<HeldObjectView> Escrows)
{
    /// <summary>Whether the job waits for an admin (quarantined or holding deletions).</summary>
    public bool NeedsAdmin => Status is JobStatus.Quarantined or JobStatus.DeletionsHeld;
}

/// <summary>An object held back: a staged deletion or an object in escrow.</summary>
public sealed record HeldObjectView(string Kind, string SourceId, string? DisplayName, string What, string Reason, DateTimeOffset? Since, DateTimeOffset? NextRetryAt = null);
