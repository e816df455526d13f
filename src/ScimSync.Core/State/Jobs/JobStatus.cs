namespace ScimSync.Core.State.Jobs;

/// <summary>Whether a job's cycles run, and if not, why.</summary>
public enum JobStatus
{
    /// <summary>Cycles run on the schedule.</summary>
    Active,

    /// <summary>An admin paused the job; state and watermark are kept.</summary>
    Paused,

    /// <summary>Failures dominate or credentials were refused; cycles run at a reduced frequency.</summary>
    Quarantined,

    /// <summary>The deletion guard staged deprovisions above the threshold; they wait for an admin.</summary>
    DeletionsHeld,
}
