using System.Text.Json;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Directory;

/// <summary>
/// Turns Graph <c>users/delta</c> and <c>groups/delta</c> pages into changes, one page at a time; use one parser per
/// round.
/// </summary>
/// <remarks>
/// A large group comes back repeated across pages, each copy carrying another slice of <c>members@delta</c>, in no
/// guaranteed order. Memberships need no accumulation: every slice entry is one edge (added, or removed when it carries
/// <c>@removed</c>) and edges are desired state keyed by group and member, so they are emitted as they arrive and
/// applying them is idempotent. Within one page, repeated copies of a group are merged (attributes: later copy wins;
/// edges: last entry per member wins). Across pages the parser only remembers a fingerprint of the attributes it
/// already emitted per group, so a copy that repeats the same attributes with the next slice does not emit another
/// upsert. That memory is bounded (<see cref="MaxRememberedGroups"/>); past the bound it is cleared, which at worst
/// emits an identical, harmless upsert again. So memory stays at one page plus the bounded fingerprints, whatever the
/// tenant's or a group's size.
/// <para>
/// What a round emits outlives it (a full read keeps every object and edge until the cycle ends), so the strings it
/// repeats are shared: one instance per attribute name and per member id, not one per object and per edge.
/// </para>
/// </remarks>
public sealed class DeltaPageParser(ObjectKind kind)
{
    /// <summary>How many groups' attribute fingerprints a round remembers across pages.</summary>
    public const int MaxRememberedGroups = 20_000;

    private readonly Dictionary<string, int> _emittedGroups = new(StringComparer.OrdinalIgnoreCase);
    private readonly StringPool _names = new(maxCount: 1_000);
    private readonly StringPool _memberIds = new(maxCount: 1_000_000);

    public ObjectKind Kind { get; } = kind;

    /// <summary>Parses one page (the whole response body).</summary>
    public DeltaPage Parse(JsonElement page)
    {
        if (page.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("A Graph delta page must be a JSON object");
        }
        var nextLink = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        var deltaLink = page.TryGetProperty("@odata.deltaLink", out var delta) ? delta.GetString() : null;
        if (nextLink is null == deltaLink is null)
        {
            throw new InvalidDataException("A Graph delta page must carry exactly one of @odata.nextLink and @odata.deltaLink");
        }

        var pending = new List<PendingObject>();
        var byId = new Dictionary<string, PendingObject>(StringComparer.OrdinalIgnoreCase);
        if (page.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                Collect(item.Clone(), pending, byId);
            }
        }
        return new DeltaPage(Emit(pending), nextLink, deltaLink);
    }

    private void Collect(JsonElement item, List<PendingObject> pending, Dictionary<string, PendingObject> byId)
    {
        var id = item.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
        if (string.IsNullOrEmpty(id))
        {
            throw new InvalidDataException("A Graph delta object has no id");
        }
        if (!byId.TryGetValue(id, out var current))
        {
            current = new PendingObject(id);
            byId[id] = current;
            pending.Add(current);
        }

        if (item.TryGetProperty("@removed", out var removed))
        {
            current.Removal = removed.TryGetProperty("reason", out var reason) && reason.GetString() == "deleted"
                ? RemovalReason.Deleted
                : RemovalReason.Changed;
            return;
        }
        current.Removal = null;
        current.Seen = true;

        foreach (var property in item.EnumerateObject())
        {
            if (property.NameEquals("members@delta") && property.Value.ValueKind == JsonValueKind.Array)
            {
                current.HasMemberSlice = true;
                foreach (var member in property.Value.EnumerateArray())
                {
                    AddMember(current, member);
                }
            }
            else if (property.Name.EndsWith("@delta", StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.Array)
            {
                // A single-valued relationship such as manager: {"id": ...}, or null once removed.
                current.Attributes[_names.Share(property.Name[..^"@delta".Length])] = Reference(property.Value);
            }
            else if (!property.Name.Contains('@', StringComparison.Ordinal))
            {
                current.Attributes[_names.Share(property.Name)] = property.Value;
            }
        }
    }

    private static readonly JsonElement Null = JsonDocument.Parse("null").RootElement;

    private static JsonElement Reference(JsonElement entries)
    {
        var current = entries.EnumerateArray().LastOrDefault(e => !e.TryGetProperty("@removed", out _));
        return current.ValueKind == JsonValueKind.Object && current.TryGetProperty("id", out var id)
            ? JsonSerializer.SerializeToElement(new Dictionary<string, string?> { ["id"] = id.GetString() }, DirectoryJsonContext.Default.DictionaryStringString)
            : Null;
    }

    private void AddMember(PendingObject group, JsonElement member)
    {
        var memberId = member.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
        var type = member.TryGetProperty("@odata.type", out var typeElement) ? typeElement.GetString() : null;
        ObjectKind? memberKind = type switch
        {
            "#microsoft.graph.user" => ObjectKind.User,
            "#microsoft.graph.group" => ObjectKind.Group,
            _ => null, // devices, contacts and service principals are not provisioned
        };
        if (string.IsNullOrEmpty(memberId) || memberKind is null)
        {
            return;
        }
        group.Members[_memberIds.Share(memberId)] = (memberKind.Value, !member.TryGetProperty("@removed", out _));
    }

    private List<DirectoryChange> Emit(List<PendingObject> pending)
    {
        var changes = new List<DirectoryChange>(pending.Count);
        foreach (var item in pending)
        {
            var id = new SourceId(item.Id);
            if (item.Removal is { } removal)
            {
                _emittedGroups.Remove(item.Id);
                changes.Add(removal == RemovalReason.Deleted ? new ObjectHardDeleted(id, Kind) : new ObjectSoftDeleted(id, Kind));
                continue;
            }
            if (!item.Seen)
            {
                continue;
            }
            if (ShouldUpsert(item))
            {
                changes.Add(new ObjectUpserted(SourceObject.Create(id, Kind, item.Attributes)));
            }
            foreach (var (memberId, (memberKind, added)) in item.Members)
            {
                var member = new SourceId(memberId);
                changes.Add(added ? new MembershipAdded(id, member, memberKind) : new MembershipRemoved(id, member, memberKind));
            }
        }
        return changes;
    }

    private bool ShouldUpsert(PendingObject item)
    {
        var hasAttributes = item.Attributes.Keys.Any(k => !k.Equals("id", StringComparison.OrdinalIgnoreCase));
        if (Kind != ObjectKind.Group || !item.HasMemberSlice)
        {
            return hasAttributes || Kind == ObjectKind.User || !item.HasMemberSlice;
        }
        if (!hasAttributes)
        {
            // A bare copy carrying only the next member slice: the membership edges are the change.
            return false;
        }
        var fingerprint = Fingerprint(item.Attributes);
        if (_emittedGroups.TryGetValue(item.Id, out var previous) && previous == fingerprint)
        {
            return false;
        }
        if (_emittedGroups.Count >= MaxRememberedGroups)
        {
            _emittedGroups.Clear();
        }
        _emittedGroups[item.Id] = fingerprint;
        return true;
    }

    private static int Fingerprint(Dictionary<string, JsonElement> attributes)
    {
        var hash = new HashCode();
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.OrdinalIgnoreCase))
        {
            hash.Add(name, StringComparer.OrdinalIgnoreCase);
            hash.Add(value.GetRawText(), StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    private enum RemovalReason
    {
        Changed,
        Deleted,
    }

    private sealed class PendingObject(string id)
    {
        public string Id { get; } = id;

        public bool Seen { get; set; }

        public bool HasMemberSlice { get; set; }

        public RemovalReason? Removal { get; set; }

        public Dictionary<string, JsonElement> Attributes { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, (ObjectKind Kind, bool Added)> Members { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
