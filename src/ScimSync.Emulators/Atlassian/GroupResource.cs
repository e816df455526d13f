namespace ScimSync.Emulators.Atlassian;

/// <summary>The mutable group record behind the API. Changes are made on a copy and committed only when valid.</summary>
internal sealed class GroupResource
{
    public required string Id { get; init; }

    public required string DisplayName { get; set; }

    public string? ExternalId { get; set; }

    // A HashSet keeps insertion order until something is removed, which is all the order SCIM promises (none).
    public HashSet<string> Members { get; private init; } = new(StringComparer.Ordinal);

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset LastModified { get; set; }

    /// <summary>False when the name clashes with a built-in group: created, but not synced to the sites (§8).</summary>
    public bool SyncedToSites { get; set; } = true;

    public GroupResource Clone() => new()
    {
        Id = Id,
        DisplayName = DisplayName,
        ExternalId = ExternalId,
        Members = new HashSet<string>(Members, StringComparer.Ordinal),
        Created = Created,
        LastModified = LastModified,
        SyncedToSites = SyncedToSites,
    };

    public AtlassianGroup ToSnapshot() => new(Id, DisplayName, ExternalId, [.. Members], Created, LastModified) { SyncedToSites = SyncedToSites };
}
