namespace ScimSync.Emulators.Graph.Tenant;

/// <summary>Life-cycle state of a directory object, which decides how delta reports it.</summary>
public enum ObjectState
{
    /// <summary>Present in the directory.</summary>
    Active,

    /// <summary>In deleted items and restorable: delta reports <c>@removed</c> with reason <c>changed</c>.</summary>
    SoftDeleted,

    /// <summary>Permanently deleted: delta reports <c>@removed</c> with reason <c>deleted</c>.</summary>
    HardDeleted,
}
