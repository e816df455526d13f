namespace ScimSync.Core.Scoping;

/// <summary>What provisioning should do with an object after scoping.</summary>
public enum ScopeAction
{
    /// <summary>Create or update it in the target.</summary>
    Upsert,

    /// <summary>Disable it in the target (SCIM <c>active=false</c>): it left scope, was disabled or soft-deleted.</summary>
    Deprovision,

    /// <summary>It was permanently deleted in the source; delete it in the target if the job's policy allows.</summary>
    Delete,
}

/// <summary>Why scoping decided as it did.</summary>
public enum ScopeReason
{
    /// <summary>Assigned to the app, directly or through a group.</summary>
    Assigned,

    /// <summary>Member of a group listed in the scope (or the listed group itself).</summary>
    InListedGroup,

    /// <summary>The scope is every user and group.</summary>
    AllObjects,

    /// <summary>Not assigned to the app, directly or through an assigned group (or removed from it).</summary>
    NotAssigned,

    /// <summary>Not in any listed group.</summary>
    NotInListedGroup,

    /// <summary>No scoping filter matched.</summary>
    FilteredOut,

    /// <summary>The account is disabled (<c>accountEnabled=false</c>).</summary>
    Disabled,

    /// <summary>Soft-deleted in the source (restorable for 30 days).</summary>
    SoftDeleted,

    /// <summary>Permanently deleted in the source.</summary>
    HardDeleted,
}
