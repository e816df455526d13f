namespace ScimSync.Core.State.Objects;

/// <summary>The outcome of recording a created object with its link (<see cref="ObjectStateStore.RecordCreatedAsync"/>).</summary>
public enum CreatedRecordResult
{
    /// <summary>The state and the link are written.</summary>
    Recorded,

    /// <summary>Nothing was written: the object's row changed since it was read.</summary>
    RowChanged,

    /// <summary>Nothing was written: the target object is linked already; settle who holds it with <see cref="TargetLinkStore.LinkAsync"/>.</summary>
    LinkTaken,
}
