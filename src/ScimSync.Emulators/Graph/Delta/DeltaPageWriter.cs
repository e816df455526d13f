using System.Text.Json;
using ScimSync.Emulators.Graph.Responses;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Delta;

/// <summary>
/// Writes one page of a delta round into a <c>value</c> array and says where the next page starts, or that the round
/// is complete. Objects are listed in creation order; a group whose <c>members@delta</c> does not fit in the page's
/// member budget is cut, and the next page repeats the group with the next slice, as Graph does for large groups.
/// Must be called under the tenant's lock.
/// </summary>
internal sealed class DeltaPageWriter(GraphTenant tenant, DeltaState state, Projection projection, DeltaPageLimits limits)
{
    private enum Disposition
    {
        Skip,
        Full,
        Updated,
        Removed,
    }

    /// <summary>Writes the page's objects; returns the state of the next page, or null when the round is complete.</summary>
    public DeltaState? Write(Utf8JsonWriter writer)
    {
        IReadOnlyList<DirectoryEntry> entries = projection.Type == ObjectType.User ? tenant.UsersInOrder : tenant.GroupsInOrder;
        var ids = state.Ids is null ? null : new HashSet<string>(state.Ids, StringComparer.OrdinalIgnoreCase);
        var objects = 0;
        var members = 0;
        var lastOrdinal = state.After;
        var start = FirstIndex(entries, state.MemberAfter is null ? state.After + 1 : state.After);

        for (var i = start; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Ordinal > state.Until)
            {
                break;
            }

            var resuming = state.MemberAfter is not null && entry.Ordinal == state.After;
            if (ids is not null && !ids.Contains(entry.Id))
            {
                continue;
            }

            var disposition = Classify(entry);
            if (disposition == Disposition.Skip)
            {
                continue;
            }

            if (objects >= limits.Objects)
            {
                return Continue(lastOrdinal, memberAfter: null);
            }

            if (disposition != Disposition.Removed && entry is GroupEntry group && projection.IncludesRelationship)
            {
                var edges = MemberEntries(group, disposition == Disposition.Full, resuming ? state.MemberAfter : null);
                if (resuming && edges.Count == 0)
                {
                    lastOrdinal = entry.Ordinal;
                    continue;
                }

                if (edges.Count > 0)
                {
                    var room = limits.Members - members;
                    if (room <= 0)
                    {
                        return Continue(lastOrdinal, memberAfter: null);
                    }

                    var slice = edges.Count > room ? edges.GetRange(0, room) : edges;
                    WriteObject(writer, entry, disposition, slice);
                    objects++;
                    members += slice.Count;
                    if (slice.Count < edges.Count)
                    {
                        return Continue(entry.Ordinal, slice[^1].Sequence);
                    }

                    lastOrdinal = entry.Ordinal;
                    continue;
                }
            }

            WriteObject(writer, entry, disposition, members: null);
            objects++;
            lastOrdinal = entry.Ordinal;
        }

        return null;
    }

    private DeltaState Continue(long after, long? memberAfter) =>
        state with { Kind = "s", After = after, MemberAfter = memberAfter };

    private static int FirstIndex(IReadOnlyList<DirectoryEntry> entries, long ordinal)
    {
        int low = 0, high = entries.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (entries[middle].Ordinal < ordinal)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private Disposition Classify(DirectoryEntry entry)
    {
        var since = state.Since;
        if (since == 0)
        {
            return entry.IsActive ? Disposition.Full
                : limits.ReportDeletedInInitialRound ? Disposition.Removed
                : Disposition.Skip;
        }

        if (entry.Ordinal > since || entry.StateSequence > since)
        {
            return entry.IsActive ? Disposition.Full : Disposition.Removed;
        }

        if (!entry.IsActive)
        {
            return Disposition.Skip;
        }

        var changed = entry.LastChange(projection.Properties) > since;
        if (projection.IncludesRelationship)
        {
            changed |= entry switch
            {
                UserEntry user => user.ManagerSequence > since,
                GroupEntry group => group.LastEdgeSequence > since,
                _ => false,
            };
        }

        return changed ? Disposition.Updated : Disposition.Skip;
    }

    private List<MemberEdge> MemberEntries(GroupEntry group, bool full, long? after)
    {
        var floor = after ?? (full ? 0 : state.Since);
        var edges = new List<MemberEdge>();
        foreach (var edge in group.Edges.Values)
        {
            if (edge.Sequence > floor && (edge.Present || !full))
            {
                edges.Add(edge);
            }
        }

        edges.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return edges;
    }

    private void WriteObject(Utf8JsonWriter writer, DirectoryEntry entry, Disposition disposition, List<MemberEdge>? members)
    {
        writer.WriteStartObject();
        if (disposition == Disposition.Removed)
        {
            writer.WriteString("id", entry.Id);
            GraphObjectWriter.WriteRemoved(writer, GraphObjectWriter.ReasonOf(entry.State));
            writer.WriteEndObject();
            return;
        }

        var minimal = disposition == Disposition.Updated && limits.ReturnMinimal ? state.Since : (long?)null;
        GraphObjectWriter.WriteProperties(writer, entry, projection, minimal);

        if (entry is UserEntry user && projection.IncludesRelationship)
        {
            WriteManager(writer, user, disposition == Disposition.Full);
        }

        if (members is { Count: > 0 })
        {
            writer.WriteStartArray("members@delta");
            foreach (var edge in members)
            {
                GraphObjectWriter.WriteLink(writer, edge.MemberType, edge.MemberId, removed: !edge.Present);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private void WriteManager(Utf8JsonWriter writer, UserEntry user, bool full)
    {
        if (!full && user.ManagerSequence <= state.Since)
        {
            return;
        }

        if (user.ManagerId is not null)
        {
            writer.WriteStartArray("manager@delta");
            GraphObjectWriter.WriteLink(writer, ObjectType.User, user.ManagerId, removed: false);
            writer.WriteEndArray();
        }
        else if (!full && user.PreviousManagerId is not null)
        {
            writer.WriteStartArray("manager@delta");
            GraphObjectWriter.WriteLink(writer, ObjectType.User, user.PreviousManagerId, removed: true);
            writer.WriteEndArray();
        }
    }
}

/// <summary>Per-page limits and switches of a delta round.</summary>
internal sealed record DeltaPageLimits(int Objects, int Members, bool ReturnMinimal, bool ReportDeletedInInitialRound);
