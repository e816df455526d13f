using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;

namespace ScimSync.Core.State.Staging;

/// <summary>
/// A deprovision or delete the deletion guard held back because a cycle wanted more of them than the threshold
/// allows. It waits here until an admin allows deletions (release) or dismisses them (clear).
/// </summary>
/// <param name="Job">The job.</param>
/// <param name="SourceId">The object to deprovision or delete.</param>
/// <param name="Kind">User or group.</param>
/// <param name="Operation"><see cref="WorkOperation.Deprovision"/> or <see cref="WorkOperation.Delete"/>.</param>
/// <param name="Reason">Why the object would be deprovisioned, in plain words (e.g. "left scope").</param>
/// <param name="CycleId">The cycle that staged it.</param>
/// <param name="StagedAt">When it was staged.</param>
/// <param name="DisplayName">The object's name for the admin's review, when known.</param>
public sealed record StagedAction(
    JobId Job,
    SourceId SourceId,
    ObjectKind Kind,
    WorkOperation Operation,
    string Reason,
    string CycleId,
    DateTimeOffset StagedAt,
    string? DisplayName = null);
