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
        for (var number = 1; number <= block.Count; number++)
        {
            var digits = number.ToString("D3", CultureInfo.InvariantCulture);
            var upn = $"{block.UpnPrefix}{digits}@{block.Domain}";
            var surname = block.SurnamePrefix + digits;
            var properties = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase)
            {
                ["userPrincipalName"] = Text(upn),
                ["displayName"] = Text($"{block.GivenName} {surname}"),
                ["givenName"] = Text(block.GivenName),
                ["surname"] = Text(surname),
                ["mail"] = Text(upn),
                ["accountEnabled"] = JsonSerializer.SerializeToElement(true, GraphJsonContext.Default.Boolean),
            };
            if (block.Department is not null)
            {
                properties["department"] = Text(block.Department);
            }

            if (block.JobTitle is not null)
            {
                properties["jobTitle"] = Text(block.JobTitle);
            }

            yield return new UserSeed { Id = IdOf(block, number), Properties = properties };
        }
    }

    private static JsonElement Text(string value) => JsonSerializer.SerializeToElement(value, GraphJsonContext.Default.String);
}
