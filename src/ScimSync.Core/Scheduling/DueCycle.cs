using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scheduling;

/// <summary>A cycle a tick found due and ran.</summary>
/// <param name="Job">The job.</param>
/// <param name="DueAt">When the cycle was due.</param>
/// <param name="NextCycleAt">When the job's next cycle is due, as claimed before this one ran.</param>
/// <param name="Report">What the cycle did.</param>
public sealed record DueCycle(JobId Job, DateTimeOffset DueAt, DateTimeOffset NextCycleAt, CycleReport Report);
