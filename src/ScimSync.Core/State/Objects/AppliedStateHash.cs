using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using ScimSync.Core.Scim;

namespace ScimSync.Core.State.Objects;

/// <summary>
/// The hash stored as <see cref="ObjectState.AppliedHash"/>: SHA-256 over a canonical JSON form of the attributes,
/// so that equal attribute sets hash equally whatever the order or case of their paths and the order of properties
/// inside complex values. Array order is significant, as in SCIM.
/// </summary>
public static class AppliedStateHash
{
    public static string Of(ScimAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var pair in attributes.Values.Select(pair => (Path: pair.Key.ToUpperInvariant(), pair.Value)).OrderBy(pair => pair.Path, StringComparer.Ordinal))
            {
                writer.WritePropertyName(pair.Path);
                WriteCanonical(writer, pair.Value);
            }

            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject().OrderBy(property => property.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
