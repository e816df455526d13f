namespace ScimSync.Core.Directory;

/// <summary>One parsed delta page: its changes and the link to follow (exactly one of the two links is set).</summary>
public sealed record DeltaPage(IReadOnlyList<DirectoryChange> Changes, string? NextLink, string? DeltaLink);
