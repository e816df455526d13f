namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// The single-valued string attributes of Atlassian's user schema (atlassian-scim-api.md §4), by canonical path.
/// Lookups ignore case because SCIM attribute names do (RFC 7643 §2.1).
/// </summary>
internal static class UserAttributes
{
    public const string ExternalId = "externalId";
    public const string DisplayName = "displayName";

    public static readonly IReadOnlyList<string> Core =
        [ExternalId, DisplayName, "nickName", "title", "preferredLanguage", "department", "organization", "timezone"];

    public static readonly IReadOnlyList<string> NameParts =
        ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"];

    // Atlassian's enterprise extension has only these two (§4), and marks them read-only; Entra maps department to it,
    // and Atlassian's own Entra integration sends it, so the emulator accepts writes to both.
    public static readonly IReadOnlyList<string> Enterprise = ["organization", "department"];

    public static string? CanonicalCore(string name) => Find(Core, name);

    public static string? CanonicalNamePart(string name) => Find(NameParts, name) is { } part ? "name." + part : null;

    public static string? CanonicalEnterprise(string name) =>
        Find(Enterprise, name) is { } attribute ? ScimUrns.EnterpriseUser + ":" + attribute : null;

    /// <summary>Every canonical path, for validating seeded attributes.</summary>
    public static IEnumerable<string> All =>
        Core.Concat(NameParts.Select(part => "name." + part)).Concat(Enterprise.Select(a => ScimUrns.EnterpriseUser + ":" + a));

    private static string? Find(IReadOnlyList<string> names, string name) =>
        names.FirstOrDefault(candidate => string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase));
}
