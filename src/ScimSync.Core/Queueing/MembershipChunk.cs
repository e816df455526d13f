using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Queueing;

/// <summary>A member of a group, by its source id and kind (groups can contain groups).</summary>
public readonly record struct MemberReference(SourceId Id, ObjectKind Kind);

/// <summary>
/// One slice of a group's membership change: the members to add and to remove. Large changes are split by
/// <see cref="MembershipChunkSplitter"/> so that every slice fits in one queue message.
/// </summary>
/// <param name="Group">The group's source id.</param>
/// <param name="ChunkNumber">Zero-based number of this slice within the change.</param>
/// <param name="ChunkCount">How many slices the change was split into.</param>
/// <param name="Add">Members to add to the group.</param>
/// <param name="Remove">Members to remove from the group.</param>
/// <param name="DesiredMemberCount">
/// How many members the group has once every slice of the change is applied, as the cycle counted them; null when not
/// known (a slice from before the field), and then the worker counts the group's stored edges.
/// </param>
public sealed record MembershipChunk(
    SourceId Group,
    int ChunkNumber,
    int ChunkCount,
    IReadOnlyList<MemberReference> Add,
    IReadOnlyList<MemberReference> Remove,
    int? DesiredMemberCount = null);
