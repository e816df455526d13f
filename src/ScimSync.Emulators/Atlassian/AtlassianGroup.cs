namespace ScimSync.Emulators.Atlassian;

/// <summary>A stored SCIM group with its members' user ids.</summary>
public sealed record AtlassianGroup(
    string Id,
    string DisplayName,
    string? ExternalId,
    IReadOnlyList<string> Members,
    DateTimeOffset Created,
    DateTimeOffset LastModified)
{
    /// <summary>False when the name clashes with a built-in group: the group exists in the directory but is not synced (§8).</summary>
    public bool SyncedToSites { get; init; } = true;
}
