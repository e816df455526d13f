using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Progress;

/// <summary>How one work item of a cycle ended.</summary>
public enum ItemOutcome
{
    /// <summary>Applied to the target (or nothing needed doing).</summary>
    Done,

    /// <summary>Failed for good in this cycle (escrowed or poison).</summary>
    Failed,

    /// <summary>Deliberately not applied (out of scope, unchanged, held).</summary>
    Skipped,
}

/// <summary>A cycle's progress: what was enqueued and how many items have ended each way.</summary>
public sealed record CycleProgress(JobId Job, string CycleId, int Enqueued, int Done, int Failed, int Skipped)
{
    /// <summary>Items that have ended, whichever way.</summary>
    public int Finished => Done + Failed + Skipped;

    /// <summary>Items still queued or in flight (never negative: a repeated cycle may finish items twice over).</summary>
    public int Remaining => Math.Max(0, Enqueued - Finished);
}
