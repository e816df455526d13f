using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;

namespace ScimSync.Core.Admin;

/// <summary>How provisioning one object on demand ended.</summary>
public enum OnDemandResult
{
    /// <summary>Every step was applied, or nothing needed doing.</summary>
    Succeeded,

    /// <summary>The object is out of the job's scope and the job never provisioned it: nothing was done.</summary>
    NotInScope,

    /// <summary>No user or group with that id exists in the directory, and the job does not know it.</summary>
    NotFound,

    /// <summary>The object would be deprovisioned, but the deletion guard holds deprovisions for approval.</summary>
    Held,

    /// <summary>A step failed or must be retried; the provisioning log entries say why.</summary>
    Failed,

    /// <summary>The target refused the job's credentials.</summary>
    Unauthorized,
}

/// <summary>One work item reconciled on demand and how it ended.</summary>
/// <param name="Operation">What it did: upsert, deprovision, delete or a slice of group members.</param>
/// <param name="Result">How reconciliation ended.</param>
/// <param name="Reason">Why, for anything but success.</param>
public sealed record OnDemandStep(WorkOperation Operation, WorkItemResult Result, string? Reason);

/// <summary>What provisioning one user or group on demand did (Entra's "provision on demand").</summary>
/// <param name="Job">The job.</param>
/// <param name="SourceId">The Entra object id asked for.</param>
/// <param name="Kind">User or group; null when the directory has no such object.</param>
/// <param name="DisplayName">The object's name, when read.</param>
/// <param name="Result">How it ended.</param>
/// <param name="Scope">The scope verdict in plain words: which assignment or group, which filter.</param>
/// <param name="Message">What happened, in plain words.</param>
/// <param name="Steps">The work items reconciled, in order.</param>
/// <param name="LogEntries">The provisioning log entries the steps wrote, oldest first.</param>
/// <param name="MembersNotYetProvisioned">For a group: members in the source the target cannot get yet because they are not provisioned; the next cycle adds them.</param>
public sealed record OnDemandProvisioning(
    JobId Job,
    SourceId SourceId,
    ObjectKind? Kind,
    string? DisplayName,
    OnDemandResult Result,
    string Scope,
    string Message,
    IReadOnlyList<OnDemandStep> Steps,
    IReadOnlyList<ProvisioningLogEntry> LogEntries,
    IReadOnlyList<SourceId> MembersNotYetProvisioned);
