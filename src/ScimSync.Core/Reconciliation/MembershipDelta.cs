using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Memberships;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// The edges of a membership slice still to send: the cycle's latest desired state wins over the slice, and edges the
/// target already has as desired are never sent again. The reconciliation sends them; the plan counts them.
/// </summary>
internal sealed record MembershipDelta(IReadOnlyList<MemberReference> Adds, IReadOnlyList<MemberReference> Removes)
{
    public static MembershipDelta Of(MembershipChunk chunk, IReadOnlyDictionary<SourceId, MembershipEdge> edges) => new(
        chunk.Add.Where(m => !edges.TryGetValue(m.Id, out var e) || (e.Desired && !e.Applied)).Distinct().ToList(),
        chunk.Remove.Where(m => edges.TryGetValue(m.Id, out var e) && e.Applied && !e.Desired).Distinct().ToList());

    /// <summary>
    /// How many members the group has once the slice is applied: as the cycle counted them when the slice carries that,
    /// otherwise the members the target has now (all of <paramref name="edges"/> must be the group's) with the slice's
    /// changes.
    /// </summary>
    public static int SizeOnceApplied(MembershipChunk chunk, IReadOnlyDictionary<SourceId, MembershipEdge> edges, IReadOnlyList<MemberReference> adds, IReadOnlyList<MemberReference> removes) =>
        chunk.DesiredMemberCount ?? edges.Values.Count(e => e.Applied) + adds.Count - removes.Count;

    /// <summary>
    /// The group's edges as the cycle that produced the slice records them before it enqueues it. A dry run records
    /// nothing, so its plan reads the stored edges through this.
    /// </summary>
    public static Dictionary<SourceId, MembershipEdge> AsRecordedFor(MembershipChunk chunk, JobId job, IReadOnlyDictionary<SourceId, MembershipEdge> edges)
    {
        var recorded = new Dictionary<SourceId, MembershipEdge>(edges);
        foreach (var (members, desired) in (ReadOnlySpan<(IReadOnlyList<MemberReference>, bool)>)[(chunk.Add, true), (chunk.Remove, false)])
        {
            foreach (var member in members)
            {
                recorded[member.Id] = edges.TryGetValue(member.Id, out var edge)
                    ? edge with { Desired = desired }
                    : new MembershipEdge(job, chunk.Group, member.Id, member.Kind, desired, false);
            }
        }

        return recorded;
    }
}
