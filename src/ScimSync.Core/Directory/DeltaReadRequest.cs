namespace ScimSync.Core.Directory;

/// <summary>
/// What to read in one delta round.
/// </summary>
/// <param name="Kind">Users (<c>users/delta</c>) or groups (<c>groups/delta</c>, with their members).</param>
/// <param name="DeltaLink">The watermark saved after the last completed round; null reads everything (an initial or resync round).</param>
/// <param name="Attributes">The Graph attributes mapping and scoping need (sent as <c>$select</c> on a full read; a
/// stored deltaLink already encodes the selection it was started with).</param>
public sealed record DeltaReadRequest(ObjectKind Kind, string? DeltaLink, IReadOnlyCollection<string> Attributes);
