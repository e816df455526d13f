using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Memberships;

/// <summary>A member that groups completed without because it is not provisioned, and the groups that wait for it.</summary>
/// <param name="Member">The member's source id.</param>
/// <param name="Groups">The groups that get it once it is provisioned.</param>
/// <param name="Since">When the first of them started to wait.</param>
/// <param name="Name">The member's name (a userPrincipalName), as recorded when the first group started to wait.</param>
/// <param name="Code">Why it is not provisioned, as a code.</param>
/// <param name="Reason">Why, in plain words.</param>
public sealed record AwaitedMember(SourceId Member, IReadOnlyList<SourceId> Groups, DateTimeOffset Since, string? Name, string Code, string Reason);
