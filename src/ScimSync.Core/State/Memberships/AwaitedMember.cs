using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Memberships;

/// <summary>A member that groups completed without because it is not provisioned, and the groups that wait for it.</summary>
/// <param name="Member">The member's source id.</param>
/// <param name="Groups">The groups that get it once it is provisioned.</param>
/// <param name="Since">When the first of them started to wait.</param>
public sealed record AwaitedMember(SourceId Member, IReadOnlyList<SourceId> Groups, DateTimeOffset Since);
