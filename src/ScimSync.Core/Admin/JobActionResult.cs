using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Admin;

/// <summary>What an admin asked of a job.</summary>
public enum JobAction
{
    Pause,
    Resume,
    ClearQuarantine,
    Restart,
    AllowDeletes,
    DismissHeldDeletes,
}

/// <summary>What an admin action did to a job, for a host to show.</summary>
/// <param name="Job">The job.</param>
/// <param name="Action">The action.</param>
/// <param name="Status">The job's status afterwards.</param>
/// <param name="Affected">How many objects the action released or dismissed (0 for actions on the job alone).</param>
/// <param name="Message">What happened, in plain words.</param>
public sealed record JobActionResult(JobId Job, JobAction Action, JobStatus Status, int Affected, string Message);
