using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Jobs;

/// <summary>The durable state of one provisioning job (one row in the Jobs table).</summary>
public sealed record JobState
{
    public JobState(JobId job) => Job = job;

    public JobId Job { get; init; }

    public JobStatus Status { get; init; } = JobStatus.Active;

    /// <summary>Why the job is not <see cref="JobStatus.Active"/>, in plain words for the status page.</summary>
    public string? Reason { get; init; }

    /// <summary>When a paused-by-policy or quarantined job may next run a cycle.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When the current quarantine began (the series start, as Entra reports it).</summary>
    public DateTimeOffset? QuarantinedSince { get; init; }

    /// <summary>
    /// When an active job's next scheduled cycle is due, claimed by the host tick that started the last one; null
    /// before the first scheduled cycle (due at once). Kept in the row so every instance and restart agrees.
    /// </summary>
    public DateTimeOffset? NextCycleAt { get; init; }

    public JobCounters Counters { get; init; } = new();

    public CycleSummary? LastCycle { get; init; }

    /// <summary>
    /// The cycle lease as read. Read-only here: <see cref="JobStateStore.SaveAsync"/> never writes it; only the lease
    /// methods of <see cref="JobStateStore"/> do.
    /// </summary>
    public CycleLease? Lease { get; init; }
}

/// <summary>Running totals for a job across cycles.</summary>
public sealed record JobCounters
{
    public long CyclesCompleted { get; init; }

    /// <summary>Cycles in a row that ended in failure or abort; reset by a successful cycle.</summary>
    public int ConsecutiveFailedCycles { get; init; }
}

/// <summary>How a cycle ended.</summary>
public enum CycleOutcome
{
    Completed,

    /// <summary>A guard stopped the cycle before anything was enqueued (e.g. an empty or failed source read).</summary>
    Aborted,

    /// <summary>The cycle enqueued work but held deprovisions above the deletion threshold.</summary>
    CompletedWithHeldDeletions,

    Failed,
}

/// <summary>What the last cycle did, for the status page.</summary>
public sealed record CycleSummary
{
    public required string CycleId { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public required CycleOutcome Outcome { get; init; }

    /// <summary>True for a full read (initial cycle or resync), false for an incremental one.</summary>
    public bool FullRead { get; init; }

    public int ObjectsRead { get; init; }

    public int ItemsEnqueued { get; init; }

    public int DeprovisionsStaged { get; init; }

    /// <summary>Plain-words detail, e.g. why the cycle aborted.</summary>
    public string? Detail { get; init; }
}

/// <summary>Who holds a job's cycle lease, and until when.</summary>
public sealed record CycleLease(JobId Job, string Holder, DateTimeOffset ExpiresAt);
