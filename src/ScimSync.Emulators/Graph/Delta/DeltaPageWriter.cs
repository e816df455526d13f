using System.Text.Json;
using ScimSync.Emulators.Graph.Responses;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Delta;

/// <summary>
/// Writes one page of a delta round into a <c>value</c> array and says where the next page starts, or that the round
/// is complete. Objects are listed in creation order; a group whose <c>members@delta</c> does not fit in the page's
/// member budget is cut, and the next page repeats the group with the next slice, as Graph does for large groups.
/// The round's quirks (<see cref="DeltaPageLimits"/>) then disorder the page, repeat objects and report ex-members, as
/// graph-delta.md §2-3 allows. Must be called under the tenant's lock.
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

    private readonly List<byte[]> _objects = [];

    /// <summary>Writes the page's objects; returns the state of the next page, or null when the round is complete.</summary>
    public DeltaState? Write(Utf8JsonWriter writer)
    {
        var next = Collect();
        Flush(writer);
        return next;
    }

    private DeltaState? Collect()
    {
        IReadOnlyList<DirectoryEntry> entries = projection.Type == ObjectType.User ? tenant.UsersInOrder : tenant.GroupsInOrder;
        var ids = state.Ids is null ? null : new HashSet<string>(state.Ids, StringComparer.OrdinalIgnoreCase);
        var objects = 0;
        var members = 0;
        var lastOrdinal = state.After;
        var start = FirstIndex(entries, state.MemberAfter is null ? state.After + 1 : state.After);
        if (limits.RepeatObjects && state.MemberAfter is null && start > 0 && entries[start - 1].Ordinal == state.After)
        {
            // The previous page's last object again, without its members (graph-delta.md §3: replays within a round).
            var previous = entries[start - 1];
            if ((ids is null || ids.Contains(previous.Id)) && Classify(previous) is var again and not Disposition.Skip)
            {
                WriteObject(previous, again, members: null);
            }
        }

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
                    WriteObject(entry, disposition, slice);
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

            WriteObject(entry, disposition, members: null);
            objects++;
            lastOrdinal = entry.Ordinal;
        }

        return null;
    }

    private DeltaState Continue(long after, long? memberAfter) =>
        state with { Kind = "s", After = after, MemberAfter = memberAfter };

    // graph-delta.md §3: "the same entity can appear more than once in a single response"; §2: large groups come back
    // "in no guaranteed order". Repeats stay next to their original until the shuffle moves them.
    private void Flush(Utf8JsonWriter writer)
    {
        var objects = new List<byte[]>(_objects.Count * 2);
        for (var i = 0; i < _objects.Count; i++)
        {
            objects.Add(_objects[i]);
            if (limits.RepeatObjects && i % 2 == 0)
            {
                objects.Add(_objects[i]);
            }
        }

        if (limits.Shuffle is { } random)
        {
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(objects));
        }

        foreach (var json in objects)
        {
            writer.WriteRawValue(json, skipInputValidation: true);
        }
    }

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
            // Users report ex-members as @removed in initial rounds too (graph-delta.md §2, docs issues #6124/#6651).
            if (edge.Sequence > floor && (edge.Present || !full || limits.RemovedMembersInInitialRound))
            {
                edges.Add(edge);
            }
        }

        edges.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return edges;
    }

    private void WriteObject(DirectoryEntry entry, Disposition disposition, List<MemberEdge>? members)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteObject(writer, entry, disposition, members);
        }

        _objects.Add(buffer.WrittenMemory.ToArray());
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
            IEnumerable<MemberEdge> order = members;
            if (limits.Shuffle is { } random)
            {
                var shuffled = members.ToArray();
                random.Shuffle(shuffled);
                order = shuffled;
            }

            foreach (var edge in order)
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
/// <param name="Shuffle">When set, the page's objects and each <c>members@delta</c> slice come in this random order.</param>
internal sealed record DeltaPageLimits(int Objects, int Members, bool ReturnMinimal, bool ReportDeletedInInitialRound)
{
    public bool RemovedMembersInInitialRound { get; init; }

    public bool RepeatObjects { get; init; }

    public Random? Shuffle { get; init; }
}
