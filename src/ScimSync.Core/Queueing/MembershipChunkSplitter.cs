using System.Buffers;
using System.Text.Json;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Queueing;

/// <summary>
/// Splits a group's membership change into <see cref="WorkOperation.MembershipChunk"/> work items that each fit in
/// one queue message. Members are ordered by id before splitting, so the same change always gives the same chunks
/// and the same work-item ids (a repeated cycle enqueues recognisable duplicates).
/// </summary>
public static class MembershipChunkSplitter
{
    /// <summary>Default cap on members per chunk, so one item stays a bounded amount of work for the worker.</summary>
    public const int DefaultMaxMembersPerChunk = 1000;

    // Bytes one member adds besides its escaped id: {"id":"","kind":"Group"}, and the comma.
    private const int MemberOverheadBytes = 26;

    // Room for the chunk number and count, which are not known while measuring the empty envelope.
    private const int EnvelopeMarginBytes = 64;

    // Characters the serializer's encoder never escapes.
    private static readonly SearchValues<char> WrittenAsIs =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.");

    /// <summary>Splits the change into chunk work items; an empty change gives no items.</summary>
    /// <exception cref="WorkItemTooLargeException">A single member id is too large to fit in any message.</exception>
    public static IReadOnlyList<WorkItem> Split(
        JobId job,
        string cycleId,
        SourceId group,
        IEnumerable<MemberReference> add,
        IEnumerable<MemberReference> remove,
        DateTimeOffset enqueuedAt,
        int maxMembersPerChunk = DefaultMaxMembersPerChunk,
        int generation = 0,
        int? desiredMemberCount = null)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMembersPerChunk, 1);

        var changes = add.Select(member => (Member: member, IsAdd: true))
            .Concat(remove.Select(member => (Member: member, IsAdd: false)))
            .OrderBy(change => change.IsAdd ? 0 : 1)
            .ThenBy(change => change.Member.Id.Value, StringComparer.Ordinal)
            .ThenBy(change => change.Member.Kind)
            .ToList();
        if (changes.Count == 0)
        {
            return [];
        }

        var empty = WorkItem.ForMembershipChunk(job, cycleId, new MembershipChunk(group, 0, 1, [], [], desiredMemberCount), enqueuedAt);
        var budget = WorkItemSerializer.MaxMessageBytes - WorkItemSerializer.MeasureBytes(empty) - EnvelopeMarginBytes;

        var slices = new List<List<(MemberReference Member, bool IsAdd)>>();
        var current = new List<(MemberReference Member, bool IsAdd)>();
        var used = 0;
        foreach (var change in changes)
        {
            var size = EncodedBytes(change.Member.Id.Value) + MemberOverheadBytes;
            if (size > budget)
            {
                throw new WorkItemTooLargeException(
                    $"The member id '{change.Member.Id.Value[..Math.Min(64, change.Member.Id.Value.Length)]}…' of group '{group}' " +
                    $"is {size:N0} bytes and cannot fit in a {WorkItemSerializer.MaxMessageBytes:N0}-byte queue message.",
                    size, WorkItemSerializer.MaxMessageBytes);
            }

            if (current.Count > 0 && (used + size > budget || current.Count == maxMembersPerChunk))
            {
                slices.Add(current);
                current = [];
                used = 0;
            }

            current.Add(change);
            used += size;
        }

        slices.Add(current);

        var items = new List<WorkItem>(slices.Count);
        for (var number = 0; number < slices.Count; number++)
        {
            var slice = slices[number];
            var chunk = new MembershipChunk(
                group, number, slices.Count,
                slice.Where(change => change.IsAdd).Select(change => change.Member).ToList(),
                slice.Where(change => !change.IsAdd).Select(change => change.Member).ToList(),
                desiredMemberCount);
            var item = WorkItem.ForMembershipChunk(job, cycleId, chunk, enqueuedAt, generation);

            // The estimate above is exact for ids and generous for the envelope; this makes the guarantee explicit.
            _ = WorkItemSerializer.Serialize(item);
            items.Add(item);
        }

        return items;
    }

    /// <summary>The bytes of the id as the serializer writes it; an id JSON writes as it is (a GUID) is not encoded to count it.</summary>
    private static int EncodedBytes(string id) =>
        id.AsSpan().ContainsAnyExcept(WrittenAsIs) ? JsonEncodedText.Encode(id).EncodedUtf8Bytes.Length : id.Length;
}
