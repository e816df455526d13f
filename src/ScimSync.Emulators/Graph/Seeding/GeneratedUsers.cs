using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace ScimSync.Emulators.Graph.Seeding;

/// <summary>Expands a <see cref="GeneratedUsersSeed"/> block into the users docs/demo-directory.md describes.</summary>
public static class GeneratedUsers
{
    public static string IdOf(GeneratedUsersSeed block, int number)
    {
        ArgumentNullException.ThrowIfNull(block);
        return block.IdPrefix + number.ToString("D12", CultureInfo.InvariantCulture);
    }

    public static IEnumerable<UserSeed> Expand(GeneratedUsersSeed block)
    {
        ArgumentNullException.ThrowIfNull(block);

        // One document for the whole block: parsing each value separately made large tenants slow to start.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var number = 1; number <= block.Count; number++)
            {
                var digits = number.ToString("D3", CultureInfo.InvariantCulture);
                var upn = $"{block.UpnPrefix}{digits}@{block.Domain}";
                var surname = block.SurnamePrefix + digits;
                writer.WriteStartObject();
                writer.WriteString("userPrincipalName", upn);
                writer.WriteString("displayName", $"{block.GivenName} {surname}");
                writer.WriteString("givenName", block.GivenName);
                writer.WriteString("surname", surname);
                writer.WriteString("mail", upn);
                writer.WriteBoolean("accountEnabled", true);
                if (block.Department is not null)
                {
                    writer.WriteString("department", block.Department);
                }

                if (block.JobTitle is not null)
                {
                    writer.WriteString("jobTitle", block.JobTitle);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        // The elements stay valid as long as the document is reachable; it is never disposed on purpose.
        var document = JsonDocument.Parse(buffer.WrittenMemory);
        var index = 0;
        foreach (var user in document.RootElement.EnumerateArray())
        {
            index++;
            var properties = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in user.EnumerateObject())
            {
                properties[property.Name] = property.Value;
            }

            yield return new UserSeed { Id = IdOf(block, index), Properties = properties };
        }
    }
}
