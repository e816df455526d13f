using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Bench.Mapping;

/// <summary>
/// Users shaped like the demo tenant's: every twentieth without a mailbox, every thirtieth disabled, some names
/// with diacritics, a few proxy addresses each.
/// </summary>
internal static class SyntheticDirectory
{
    private static readonly string[] GivenNames = ["Adele", "Zoë", "Björn", "Chloé", "Dana", "Kenji", "Tomás", "Elif", "Megan", "Raul"];
    private static readonly string[] Surnames = ["Vance", "Åkesson", "Ødegaard", "Lefèvre", "Kim", "Sato", "Núñez", "Yılmaz", "Bowen", "Ortega"];
    private static readonly string[] Departments = ["Engineering", "Sales", "Marketing", "Finance", "Support", "Legal", "Operations", "Field Services"];
    private static readonly string[] Locations = ["US", "GB", "DE"];

    public static IReadOnlyList<SourceObject> Users(int count)
    {
        var users = new List<SourceObject>(count);
        for (var i = 0; i < count; i++)
        {
            var given = GivenNames[i % GivenNames.Length];
            var surname = Surnames[i / GivenNames.Length % Surnames.Length] + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            var upn = $"{given.ToLowerInvariant()}.{surname.ToLowerInvariant()}@contoso.com";
            var disabled = i % 30 == 0;
            var attributes = new Dictionary<string, object?>
            {
                ["id"] = $"00000000-0000-0000-0000-{i:D12}",
                ["userPrincipalName"] = upn,
                ["mail"] = i % 20 == 0 ? null : upn,
                ["givenName"] = given,
                ["surname"] = surname,
                ["displayName"] = $"{given} {surname}",
                ["jobTitle"] = i % 7 == 0 ? null : "Technician",
                ["department"] = Departments[i % Departments.Length],
                ["accountEnabled"] = !disabled,
                ["IsSoftDeleted"] = disabled,
                ["employeeId"] = $"E{i:D6}",
                ["mobilePhone"] = $"+1 425 555 {i % 10000:D4}",
                ["usageLocation"] = Locations[i % Locations.Length],
                ["companyName"] = i % 11 == 0 ? null : "Contoso",
                ["proxyAddresses"] = new[] { $"SMTP:{upn}", $"smtp:{given.ToLowerInvariant()}{i}@contoso.com" },
            };

            var json = JsonSerializer.SerializeToElement(attributes);
            users.Add(SourceObject.Create(new SourceId((string)attributes["id"]!), ObjectKind.User,
                json.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value))));
        }

        return users;
    }
}
