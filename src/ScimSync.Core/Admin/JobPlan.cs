using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;

namespace ScimSync.Core.Admin;

/// <summary>What a cycle of a job would do now (a dry run): nothing was written to the target or the state.</summary>
/// <param name="Job">The job.</param>
/// <param name="CycleStatus"><see cref="CycleStatus.Planned"/>, or why the cycle would not run (aborted, failed).</param>
/// <param name="Message">The cycle's verdict in plain words.</param>
/// <param name="FullRead">Whether the cycle would read the whole directory.</param>
/// <param name="UsersRead">Users read from the directory.</param>
/// <param name="GroupsRead">Groups read from the directory.</param>
/// <param name="Changes">What each work item would do, in the order the cycle would enqueue them.</param>
/// <param name="Held">The deprovisions the deletion guard would hold for approval.</param>
public sealed record JobPlan(
    JobId Job,
    CycleStatus CycleStatus,
    string Message,
    bool FullRead,
    int UsersRead,
    int GroupsRead,
    IReadOnlyList<PlannedObjectChange> Changes,
    IReadOnlyList<PlannedObjectChange> Held);

/// <summary>What one work item of a plan would do.</summary>
/// <param name="Kind">User or group.</param>
/// <param name="SourceId">The Entra object id.</param>
/// <param name="DisplayName">The object's name, when known.</param>
/// <param name="Operation">The work item's operation.</param>
/// <param name="Action">The provisioning action it would take (<see cref="ProvisioningAction.StagedDelete"/> for a held deprovision).</param>
/// <param name="WouldWrite">Whether anything would be sent to the target.</param>
/// <param name="Reason">Why, in plain words.</param>
/// <param name="ErrorCode">The error it would end with, or the code of a skip.</param>
/// <param name="TargetId">The target object concerned, when known.</param>
/// <param name="ModifiedProperties">The attributes it would change, old -> new.</param>
/// <param name="ChangeId">
/// The work item's id: a sync that enqueues the same change gives its item, and so its provisioning log entry, this id.
/// Null for a held deprovision.
/// </param>
public sealed record PlannedObjectChange(
    ObjectKind Kind,
    SourceId SourceId,
    string? DisplayName,
    WorkOperation Operation,
    ProvisioningAction Action,
    bool WouldWrite,
    string Reason,
    string? ErrorCode,
    TargetId? TargetId,
    IReadOnlyList<ModifiedProperty> ModifiedProperties,
    string? ChangeId = null);
