using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;

namespace ScimSync.Core.State.Objects;

/// <summary>Where a source object stands in the target.</summary>
public enum ObjectStatus
{
    /// <summary>The object exists in the target and is active.</summary>
    Provisioned,

    /// <summary>The object was deactivated in the target (left scope, disabled or soft-deleted in the source).</summary>
    Disabled,

    /// <summary>The object was deleted in the target.</summary>
    Deleted,

    /// <summary>The last attempt failed for a reason that needs fixing; it is retried in later cycles.</summary>
    Escrowed,

    /// <summary>Known but deliberately not provisioned (e.g. out of scope and never created).</summary>
    Skipped,
}

/// <summary>A failure recorded against an object, shown on the status page and in the logs.</summary>
/// <param name="Code">An Entra-style error code, e.g. <c>DuplicateTargetEntries</c>.</param>
/// <param name="Message">What went wrong, in plain words.</param>
/// <param name="RecommendedAction">What an admin can do about it.</param>
/// <param name="OccurredAt">When it happened.</param>
public sealed record ObjectError(string Code, string Message, string? RecommendedAction, DateTimeOffset OccurredAt);

/// <summary>
/// A change the cycle recorded for an object and no worker has settled yet. Level-triggered reconciliation: as long as
/// an object has one, every cycle whose retry time has come enqueues it again, whatever happened to earlier messages.
/// </summary>
/// <param name="Operation">What the change does: upsert, deprovision or delete.</param>
/// <param name="ChangeId">The id of the change's first work item (<see cref="Queueing.WorkItem.ChangeId"/>); a worker settles only the change it applied.</param>
/// <param name="Since">When the change was first recorded.</param>
/// <param name="Attempts">Attempts that failed because of the object itself (not a throttled or unavailable target).</param>
/// <param name="Poisoned">True once a work item for the change used up its attempts: it needs an admin's eye, and is retried on a longer schedule.</param>
/// <param name="Redrives">How many times a cycle enqueued the change again.</param>
public sealed record PendingChange(Queueing.WorkOperation Operation, string ChangeId, DateTimeOffset Since, int Attempts = 0, bool Poisoned = false, int Redrives = 0);

/// <summary>What ScimSync knows about one source object in one job (a row in the Objects table).</summary>
public sealed record ObjectState
{
    public ObjectState(JobId job, ObjectKind kind, SourceId sourceId)
    {
        Job = job;
        Kind = kind;
        SourceId = sourceId;
    }

    public JobId Job { get; init; }

    public ObjectKind Kind { get; init; }

    public SourceId SourceId { get; init; }

    /// <summary>The target's id for the object, once created or matched.</summary>
    public TargetId? TargetId { get; init; }

    /// <summary>How the target object was found, e.g. <c>userName</c>, or <c>created</c>.</summary>
    public string? MatchedBy { get; init; }

    /// <summary>Hash of the last applied desired state; unchanged hash and known target id means nothing to do.</summary>
    public string? AppliedHash { get; init; }

    /// <summary>The attributes last applied to the target, for computing the next PATCH.</summary>
    public ScimAttributes LastApplied { get; init; } = ScimAttributes.Empty;

    public ObjectStatus Status { get; init; } = ObjectStatus.Provisioned;

    /// <summary>
    /// True only when ScimSync created the target object or adopted it by matching. Only such objects may ever be
    /// deprovisioned or deleted: ScimSync never touches target objects it did not create or adopt.
    /// </summary>
    public bool CreatedOrAdopted { get; init; }

    /// <summary>How many times in a row the object failed; 0 when it is not in escrow.</summary>
    public int EscrowCount { get; init; }

    /// <summary>When an escrowed object is next due for a retry.</summary>
    public DateTimeOffset? NextRetryAt { get; init; }

    public ObjectError? LastError { get; init; }

    /// <summary>The change still to be applied to the target; null once the target holds what the source wants.</summary>
    public PendingChange? Pending { get; init; }

    /// <summary>For groups: members whose desired and applied state differ, to be applied by membership items.</summary>
    public bool MembersPending { get; init; }

    /// <summary>The name an admin knows the object by (a user's userPrincipalName, a group's displayName).</summary>
    public string? DisplayName { get; init; }

    /// <summary>Set while a worker creates the object in the target, so that no other worker creates it too.</summary>
    public CreateClaim? Claim { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>True when the object may be deprovisioned: ScimSync created or adopted it and knows its target id.</summary>
    public bool MayDeprovision => CreatedOrAdopted && TargetId is not null;
}
