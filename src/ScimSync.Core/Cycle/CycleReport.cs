using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Staging;

namespace ScimSync.Core.Cycle;

/// <summary>How a cycle ended, as the CLI and the status page show it.</summary>
public enum CycleStatus
{
    /// <summary>The cycle enqueued its work and saved the watermark.</summary>
    Completed,

    /// <summary>The cycle enqueued its work and saved the watermark, but held deprovisions above the threshold.</summary>
    CompletedWithHeldDeletions,

    /// <summary>A dry run: the plan is in <see cref="CycleReport.PlannedItems"/>; nothing was written.</summary>
    Planned,

    /// <summary>The job is paused, or quarantined / holding deletions and not yet due.</summary>
    Skipped,

    /// <summary>Another cycle of the job holds the lease.</summary>
    AlreadyRunning,

    /// <summary>A guard stopped the cycle before anything was enqueued.</summary>
    Aborted,

    /// <summary>The cycle failed (e.g. storage or Graph unavailable); nothing moved, the next cycle repeats it.</summary>
    Failed,
}

/// <summary>What one cycle did.</summary>
public sealed record CycleReport
{
    public required JobId Job { get; init; }

    /// <summary>The cycle's id; null when the cycle did not start (skipped or already running).</summary>
    public string? CycleId { get; init; }

    public required CycleStatus Status { get; init; }

    /// <summary>One or two sentences in plain words: what happened, and what to do if something is wrong.</summary>
    public required string Message { get; init; }

    /// <summary>True when at least one kind was read in full (initial cycle, resync, restart or forced).</summary>
    public bool FullRead { get; init; }

    public int UsersRead { get; init; }

    public int GroupsRead { get; init; }

    public int Upserts { get; init; }

    public int Deprovisions { get; init; }

    public int Deletes { get; init; }

    public int MembershipChunks { get; init; }

    /// <summary>Work items sent to the queue.</summary>
    public int Enqueued { get; init; }

    /// <summary>Deprovisions and deletes held by the deletion guard.</summary>
    public int Staged { get; init; }

    /// <summary>When a skipped job next runs, if known.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>For a dry run: every item the cycle would enqueue.</summary>
    public IReadOnlyList<WorkItem> PlannedItems { get; init; } = [];

    /// <summary>The deprovisions the deletion guard held (or, in a dry run, would hold).</summary>
    public IReadOnlyList<StagedAction> StagedActions { get; init; } = [];
}
