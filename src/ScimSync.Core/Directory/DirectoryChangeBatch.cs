namespace ScimSync.Core.Directory;

/// <summary>
/// The changes read from one Graph page. <see cref="End"/> is set on the last batch of a round only.
/// </summary>
/// <param name="Kind">Users or groups (which delta this batch came from).</param>
/// <param name="IsFullRead">True when the round started without a deltaLink: the round returns every object in scope
/// of the query, so objects absent from the whole round no longer exist.</param>
/// <param name="Changes">The page's changes, in page order; a group repeated in the page is merged.</param>
/// <param name="End">Null while more pages follow.</param>
public sealed record DirectoryChangeBatch(ObjectKind Kind, bool IsFullRead, IReadOnlyList<DirectoryChange> Changes, DeltaRoundEnd? End = null);
