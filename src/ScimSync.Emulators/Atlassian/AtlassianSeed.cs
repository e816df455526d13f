using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// Users, groups and Atlassian accounts to load into the emulator before it serves requests, for trying adoption of
/// accounts that exist before the first sync. The JSON form is documented in docs/emulators.md, e.g.
/// <code>
/// {
///   "accounts": [ { "email": "ann@example.com", "atlassianAccountId": "5b10ac8d82e05b22cc7d4ef5" } ],
///   "users": [ { "userName": "bob@example.com", "displayName": "Bob", "givenName": "Bob", "familyName": "Lee",
///                "externalId": "0b6e…", "active": true } ],
///   "groups": [ { "displayName": "Engineering", "members": [ "bob@example.com" ] } ]
/// }
/// </code>
/// </summary>
// Collections are nullable: the JSON source generator sets every init-only property, leaving omitted ones null.
public sealed record AtlassianSeed
{
    /// <summary>Managed Atlassian accounts without a SCIM record: a POST with that email links to the account (§5).</summary>
    public IReadOnlyList<AtlassianSeedAccount>? Accounts { get; init; }

    public IReadOnlyList<AtlassianSeedUser>? Users { get; init; }

    public IReadOnlyList<AtlassianSeedGroup>? Groups { get; init; }

    /// <summary>Reads a seed from JSON, with errors that name what is wrong.</summary>
    public static AtlassianSeed Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, AtlassianSeedJsonContext.Default.AtlassianSeed)
                   ?? throw new InvalidDataException("The Atlassian seed is 'null'; expected an object with users, groups and accounts.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The Atlassian seed is not valid: {e.Message}", e);
        }
    }

    /// <summary>Reads a seed file.</summary>
    public static AtlassianSeed Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}

/// <summary>A managed Atlassian account (an email and its account id) with no SCIM record yet.</summary>
public sealed record AtlassianSeedAccount
{
    public required string Email { get; init; }

    /// <summary>The account id; a new one when omitted.</summary>
    public string? AtlassianAccountId { get; init; }
}

/// <summary>A SCIM user record to seed.</summary>
public sealed record AtlassianSeedUser
{
    public required string UserName { get; init; }

    /// <summary>The SCIM id; a new GUID when omitted.</summary>
    public string? Id { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>Whether the user is active; true when omitted.</summary>
    public bool? Active { get; init; }

    /// <summary>Emails; when omitted, the userName as the primary work email.</summary>
    public IReadOnlyList<AtlassianMultiValue>? Emails { get; init; }

    public IReadOnlyList<AtlassianMultiValue>? PhoneNumbers { get; init; }

    public string? DisplayName { get; init; }

    public string? GivenName { get; init; }

    public string? FamilyName { get; init; }

    /// <summary>More single-valued attributes by path, e.g. <c>title</c> or <c>urn:…:enterprise:2.0:User:department</c>.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>The linked Atlassian account; the account of the primary email, or a new one, when omitted.</summary>
    public string? AtlassianAccountId { get; init; }
}

/// <summary>A SCIM group to seed.</summary>
public sealed record AtlassianSeedGroup
{
    public required string DisplayName { get; init; }

    /// <summary>The SCIM id; a new GUID when omitted.</summary>
    public string? Id { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>Members by user id or userName.</summary>
    public IReadOnlyList<string>? Members { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(AtlassianSeed))]
internal sealed partial class AtlassianSeedJsonContext : JsonSerializerContext;
