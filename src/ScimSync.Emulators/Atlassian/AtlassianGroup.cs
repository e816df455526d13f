namespace ScimSync.Emulators.Atlassian;

/// <summary>A stored SCIM group with its members' user ids.</summary>
public sealed record AtlassianGroup(
    string Id,
    string DisplayName,
    string? ExternalId,
    IReadOnlyList<string> Members,
    DateTimeOffset Created,
    DateTimeOffset LastModified);
