using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;

namespace ScimSync.Core.Cycle;

/// <summary>
/// The order a cycle sends its items in. A membership slice adds only members that exist in the target, so sent after
/// every upsert, the slices of an initial sync all wait for its last create and then queue up behind each other. Sent
/// instead a little after the last upsert each one needs, they share the target with the creates and groups fill up
/// as the sync goes: groups first, then the members of the groups needing the fewest upserts, each slice following
/// them, then the other upserts, deprovisions and deletes as planned.
/// </summary>
internal static class WorkItemOrder
{
    /// <summary>
    /// Orders <paramref name="items"/>; each slice goes at least <paramref name="lag"/> items after the last upsert
    /// of a member it adds, so that by the time a worker takes it the workers have taken that upsert and mostly done it.
    /// A slice that still finds a member missing applies the others and is retried, as it always was.
    /// </summary>
    public static List<WorkItem> Arrange(IReadOnlyList<WorkItem> items, int lag)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lag);
        var slices = items.Where(item => item.Operation == WorkOperation.MembershipChunk).ToList();
        if (slices.Count == 0)
        {
            return [.. items];
        }

        var upserts = items.Where(item => item.Operation == WorkOperation.Upsert).ToList();
        var upsertOf = new Dictionary<(ObjectKind, SourceId), WorkItem>();
        foreach (var upsert in upserts)
        {
            upsertOf.TryAdd((upsert.Kind, upsert.SourceId), upsert);
        }

        var ordered = new List<WorkItem>(items.Count);
        var placed = new HashSet<WorkItem>(ReferenceEqualityComparer.Instance);
        var position = new Dictionary<(ObjectKind, SourceId), int>();
        var due = new PriorityQueue<WorkItem, (int At, int Sequence)>();
        var sequence = 0;

        void Place(WorkItem item)
        {
            while (due.TryPeek(out _, out var next) && next.At <= ordered.Count)
            {
                ordered.Add(due.Dequeue());
            }

            position[(item.Kind, item.SourceId)] = ordered.Count;
            placed.Add(item);
            ordered.Add(item);
        }

        foreach (var group in upserts.Where(item => item.Kind == ObjectKind.Group))
        {
            Place(group);
        }

        var groups = slices
            .GroupBy(slice => slice.SourceId)
            .Select(group => (Slices: group.ToList(), Needs: group.SelectMany(Needed).Distinct().Count()))
            .OrderBy(group => group.Needs);
        foreach (var (groupSlices, _) in groups)
        {
            var notBefore = 0;
            foreach (var slice in groupSlices)
            {
                var last = -1;
                foreach (var member in Needed(slice))
                {
                    if (!position.TryGetValue(member, out var at))
                    {
                        Place(upsertOf[member]);
                        at = ordered.Count - 1;
                    }

                    last = Math.Max(last, at);
                }

                // A group's slices keep their order: each looks for pending edges in the ones after it first.
                notBefore = Math.Max(notBefore, last < 0 ? 0 : last + 1 + lag);
                due.Enqueue(slice, (notBefore, sequence++));
            }
        }

        foreach (var item in items.Where(item => item.Operation != WorkOperation.MembershipChunk && !placed.Contains(item)))
        {
            Place(item);
        }

        while (due.Count > 0)
        {
            ordered.Add(due.Dequeue());
        }

        return ordered;

        IEnumerable<(ObjectKind, SourceId)> Needed(WorkItem slice) =>
            slice.Membership!.Add.Select(member => (member.Kind, member.Id)).Where(upsertOf.ContainsKey);
    }
}
