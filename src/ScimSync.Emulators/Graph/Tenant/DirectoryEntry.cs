using System.Text.Json;

namespace ScimSync.Emulators.Graph.Tenant;

/// <summary>
/// One user or group as the emulator stores it, with the change sequence of every property so that a delta round
/// can tell which selected properties changed since its token. Mutated only under the tenant's lock.
/// </summary>
internal abstract class DirectoryEntry(string id, ObjectType type, long ordinal)
{
    public string Id { get; } = id;

    public ObjectType Type { get; } = type;

    /// <summary>The sequence number at creation; the stable order in which delta pages list objects.</summary>
    public long Ordinal { get; } = ordinal;

    public ObjectState State { get; set; } = ObjectState.Active;

    /// <summary>When the object last changed state (soft delete, restore, hard delete).</summary>
    public long StateSequence { get; set; } = ordinal;

    public Dictionary<string, JsonElement> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, long> PropertySequence { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsActive => State == ObjectState.Active;

    public string? DisplayName =>
        Properties.TryGetValue("displayName", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Sets a property (null removes it) and records the change; returns false when the value is unchanged.</summary>
    public bool Set(string name, JsonElement? value, long sequence)
    {
        var present = Properties.TryGetValue(name, out var current);
        var isNull = value is null || value.Value.ValueKind == JsonValueKind.Null;
        if (isNull)
        {
            if (!present)
            {
                return false;
            }

            Properties.Remove(name);
        }
        else
        {
            if (present && JsonElement.DeepEquals(current, value!.Value))
            {
                return false;
            }

            Properties[name] = value!.Value;
        }

        PropertySequence[name] = sequence;
        return true;
    }

    /// <summary>The latest change among the named properties.</summary>
    public long LastChange(IEnumerable<string> names)
    {
        long latest = 0;
        foreach (var name in names)
        {
            if (PropertySequence.TryGetValue(name, out var sequence) && sequence > latest)
            {
                latest = sequence;
            }
        }

        return latest;
    }
}
