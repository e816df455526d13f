using System.Collections.Frozen;
using System.Text.Json;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Responses;

/// <summary>Writes users, groups and their delta annotations in Graph's JSON shapes.</summary>
internal static class GraphObjectWriter
{
    // Collection-valued properties come back as [] rather than null when empty.
    private static readonly FrozenSet<string> Collections = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "businessPhones", "otherMails", "proxyAddresses", "imAddresses", "identities", "groupTypes", "assignedLicenses",
        "assignedPlans", "interests", "pastProjects", "responsibilities", "schools", "skills",
    ]);

    /// <summary>
    /// Writes an object's projected properties, then id. With <paramref name="changedSince"/> set, only properties
    /// changed after that sequence are written (<c>Prefer: return=minimal</c>).
    /// </summary>
    public static void WriteProperties(Utf8JsonWriter writer, DirectoryEntry entry, Projection projection, long? changedSince = null)
    {
        foreach (var name in projection.Properties)
        {
            if (changedSince is { } since &&
                (!entry.PropertySequence.TryGetValue(name, out var changed) || changed <= since))
            {
                continue;
            }

            writer.WritePropertyName(name);
            if (entry.Properties.TryGetValue(name, out var value))
            {
                value.WriteTo(writer);
            }
            else if (Collections.Contains(name))
            {
                writer.WriteStartArray();
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteString("id", entry.Id);
    }

    public static void WriteObject(Utf8JsonWriter writer, DirectoryEntry entry, Projection projection, bool withType = false)
    {
        writer.WriteStartObject();
        if (withType)
        {
            writer.WriteString("@odata.type", TypeName(entry.Type));
        }

        WriteProperties(writer, entry, projection);
        writer.WriteEndObject();
    }

    public static void WriteRemoved(Utf8JsonWriter writer, string reason)
    {
        writer.WriteStartObject("@removed");
        writer.WriteString("reason", reason);
        writer.WriteEndObject();
    }

    /// <summary>One <c>members@delta</c> or <c>manager@delta</c> entry: type, id, and <c>@removed</c> for a removal.</summary>
    public static void WriteLink(Utf8JsonWriter writer, ObjectType type, string id, bool removed)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.type", TypeName(type));
        writer.WriteString("id", id);
        if (removed)
        {
            WriteRemoved(writer, "deleted");
        }

        writer.WriteEndObject();
    }

    public static string TypeName(ObjectType type) => type == ObjectType.User ? "#microsoft.graph.user" : "#microsoft.graph.group";

    public static string ReasonOf(ObjectState state) => state == ObjectState.HardDeleted ? "deleted" : "changed";
}
