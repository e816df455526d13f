namespace ScimSync.Emulators.Graph.Tenant;

internal sealed class UserEntry(string id, long ordinal) : DirectoryEntry(id, ObjectType.User, ordinal)
{
    public string? ManagerId { get; set; }

    /// <summary>The manager before the last manager change, so a removal can name whom it removes.</summary>
    public string? PreviousManagerId { get; set; }

    public long ManagerSequence { get; set; }

    /// <summary>Groups the user belonged to when soft-deleted; restoring the user brings the memberships back.</summary>
    public List<string> SuspendedMemberships { get; } = [];
}
