namespace ScimSync.Emulators.Graph.Tenant;

/// <summary>
/// A group's link to one member. Removed links stay (Present = false) so that a later delta round can report the
/// removal; Sequence is the link's latest change and orders the <c>members@delta</c> slices.
/// </summary>
internal sealed class MemberEdge(string memberId, ObjectType memberType)
{
    public string MemberId { get; } = memberId;

    public ObjectType MemberType { get; } = memberType;

    public bool Present { get; set; }

    public long Sequence { get; set; }
}
