using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scoping;

/// <summary>
/// The direct group memberships known so far (the desired state built from <c>members@delta</c> edges), as scoping
/// needs them: members of a group, and groups of a member.
/// </summary>
public interface IMembershipGraph
{
    /// <summary>The direct members of a group.</summary>
    IAsyncEnumerable<DirectoryMember> GetMembersAsync(SourceId groupId, CancellationToken cancellationToken = default);

    /// <summary>The groups the object is a direct member of.</summary>
    IAsyncEnumerable<SourceId> GetGroupsOfAsync(SourceId memberId, CancellationToken cancellationToken = default);
}
