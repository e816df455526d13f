using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Progress;
using ScimSync.Core.State.Watermarks;

namespace ScimSync.Core.Cycle;

/// <summary>A job's status, for the CLI's <c>status</c> command and the admin endpoint.</summary>
public sealed record JobStatusReport
{
    public required JobId Job { get; init; }

    public string? DisplayName { get; init; }

    public required JobStatus Status { get; init; }

    /// <summary>The status in plain words: why, since when, and when the job next runs.</summary>
    public required string Summary { get; init; }

    public string? Reason { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? QuarantinedSince { get; init; }

    public CycleSummary? LastCycle { get; init; }

    /// <summary>The last cycle's items: enqueued, done, failed, skipped, remaining.</summary>
    public CycleProgress? Progress { get; init; }

    public JobCounters Counters { get; init; } = new();

    /// <summary>Deprovisions waiting for allow-deletes.</summary>
    public int StagedCount { get; init; }

    /// <summary>Objects in escrow (failed, retried in later cycles).</summary>
    public int EscrowCount { get; init; }

    /// <summary>When each kind's watermark was saved; absent before the first completed cycle (the next read is full).</summary>
    public IReadOnlyDictionary<WatermarkKind, DateTimeOffset> Watermarks { get; init; } = new Dictionary<WatermarkKind, DateTimeOffset>();
}
