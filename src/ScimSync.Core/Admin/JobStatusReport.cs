using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Progress;
using ScimSync.Core.State.Watermarks;

namespace ScimSync.Core.Admin;

/// <summary>A job's status as every host shows it: the CLI's <c>status</c>, the admin API and the status page.</summary>
public sealed record JobStatusReport
{
    public required JobId Job { get; init; }

    public string? DisplayName { get; init; }

    public required JobStatus Status { get; init; }

    /// <summary>The status in plain words: why, since when, and when the job next runs.</summary>
    public required string Summary { get; init; }

    public string? Reason { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When the next scheduled cycle of an active job is due; null before the first one (due at once).</summary>
    public DateTimeOffset? NextCycleAt { get; init; }

    public DateTimeOffset? QuarantinedSince { get; init; }

    public CycleSummary? LastCycle { get; init; }

    /// <summary>The last cycle's items (enqueued, done, failed, skipped, remaining); null when it enqueued nothing.</summary>
    public CycleProgress? Progress { get; init; }

    public JobCounters Counters { get; init; } = new();

    /// <summary>Deprovisions waiting for allow-deletes (or dismiss).</summary>
    public IReadOnlyList<HeldObject> HeldDeletions { get; init; } = [];

    /// <summary>Deprovisions waiting for allow-deletes.</summary>
    public int StagedCount => HeldDeletions.Count;

    /// <summary>Objects that did not reach the target as the source wants them.</summary>
    public ObjectsNeedingAttention Attention { get; init; } = new();

    /// <summary>Objects in escrow (failed, retried in later cycles).</summary>
    public int EscrowCount => Attention.Escrowed.Count;

    /// <summary>When each kind's watermark was saved; absent before the first completed cycle (the next read is full).</summary>
    public IReadOnlyDictionary<WatermarkKind, DateTimeOffset> Watermarks { get; init; } = new Dictionary<WatermarkKind, DateTimeOffset>();

    /// <summary>Whether the job waits for an admin (quarantined or holding deletions).</summary>
    public bool NeedsAdmin => Status is JobStatus.Quarantined or JobStatus.DeletionsHeld;
}
