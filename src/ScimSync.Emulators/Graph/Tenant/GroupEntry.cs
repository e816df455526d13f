namespace ScimSync.Emulators.Graph.Tenant;

internal sealed class GroupEntry(string id, long ordinal) : DirectoryEntry(id, ObjectType.Group, ordinal)
{
    public Dictionary<string, MemberEdge> Edges { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The latest membership change, so a round can skip groups whose members did not change.</summary>
    public long LastEdgeSequence { get; set; }

    public int MemberCount { get; set; }

    public IEnumerable<MemberEdge> PresentMembers => Edges.Values.Where(edge => edge.Present);
}
