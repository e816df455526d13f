namespace ScimSync.Core.Queueing;

/// <summary>What a work item asks the worker to do with one source object.</summary>
public enum WorkOperation
{
    /// <summary>Create or update the object in the target from the snapshot.</summary>
    Upsert,

    /// <summary>The object left scope or was disabled: deactivate it in the target.</summary>
    Deprovision,

    /// <summary>The object was hard-deleted in the source and the job's policy deletes it in the target.</summary>
    Delete,

    /// <summary>Add or remove one slice of a group's members.</summary>
    MembershipChunk,
}
