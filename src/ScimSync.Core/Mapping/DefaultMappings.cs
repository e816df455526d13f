namespace ScimSync.Core.Mapping;

/// <summary>
/// The mappings a job starts from, per target profile: <c>atlassian-cloud</c> and <c>generic-scim</c>.
/// </summary>
public static class DefaultMappings
{
    public const string AtlassianCloud = "atlassian-cloud";
    public const string GenericScim = "generic-scim";

    /// <summary>The SCIM enterprise user extension URN.</summary>
    public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /// <summary>The active flag: an Entra user is active unless scoping found it disabled, unassigned, out of scope or deleted.</summary>
    public const string ActiveExpression = "Not([IsSoftDeleted])";

    /// <summary>The work email: <c>mail</c> is empty for users without an Exchange mailbox, so fall back to the UPN.</summary>
    public const string WorkEmailExpression = "Coalesce([mail], [userPrincipalName])";

    /// <summary>
    /// Atlassian Cloud. Users are matched on userName, because Atlassian rejects filters on emails with 400.
    /// Atlassian requires an email marked primary on create and modify, so the work email is also flagged primary.
    /// </summary>
    /// <remarks>
    /// Department goes to the core <c>department</c> attribute, not the enterprise extension: Atlassian's User schema
    /// lists core <c>department</c> among the fields synced to the profile, while its enterprise extension is marked
    /// read-only, so a value sent there would be dropped.
    /// </remarks>
    public static MappingSet Atlassian { get; } = new(
        Users:
        [
            AttributeMapping.Direct("userPrincipalName", "userName").AsMatching(1),
            AttributeMapping.FromExpression(ActiveExpression, "active"),
            AttributeMapping.Direct("givenName", "name.givenName"),
            AttributeMapping.Direct("surname", "name.familyName"),
            AttributeMapping.FromExpression(WorkEmailExpression, "emails[type eq \"work\"].value"),
            AttributeMapping.FromConstant("True", "emails[type eq \"work\"].primary"),
            AttributeMapping.Direct("displayName", "displayName"),
            AttributeMapping.Direct("jobTitle", "title"),
            AttributeMapping.Direct("department", "department"),
            AttributeMapping.Direct("id", "externalId"),
        ],
        Groups:
        [
            AttributeMapping.Direct("displayName", "displayName").AsMatching(1),
            AttributeMapping.Direct("id", "externalId"),
            AttributeMapping.Direct("members", "members"),
        ]);

    /// <summary>
    /// A generic SCIM 2.0 app: RFC 7643 core and enterprise attributes, after Entra's defaults for custom SCIM apps,
    /// with Graph attribute names and <c>Not([IsSoftDeleted])</c> for active instead of Entra's Switch.
    /// </summary>
    public static MappingSet Generic { get; } = new(
        Users:
        [
            AttributeMapping.Direct("userPrincipalName", "userName").AsMatching(1),
            AttributeMapping.FromExpression(ActiveExpression, "active"),
            AttributeMapping.Direct("displayName", "displayName"),
            AttributeMapping.Direct("jobTitle", "title"),
            AttributeMapping.Direct("mail", "emails[type eq \"work\"].value"),
            AttributeMapping.Direct("preferredLanguage", "preferredLanguage"),
            AttributeMapping.Direct("givenName", "name.givenName"),
            AttributeMapping.Direct("surname", "name.familyName"),
            AttributeMapping.FromExpression("Join(\" \", [givenName], [surname])", "name.formatted"),
            AttributeMapping.Direct("officeLocation", "addresses[type eq \"work\"].formatted"),
            AttributeMapping.Direct("streetAddress", "addresses[type eq \"work\"].streetAddress"),
            AttributeMapping.Direct("city", "addresses[type eq \"work\"].locality"),
            AttributeMapping.Direct("state", "addresses[type eq \"work\"].region"),
            AttributeMapping.Direct("postalCode", "addresses[type eq \"work\"].postalCode"),
            AttributeMapping.Direct("country", "addresses[type eq \"work\"].country"),
            AttributeMapping.FromExpression("Item([businessPhones], 1)", "phoneNumbers[type eq \"work\"].value"),
            AttributeMapping.Direct("mobilePhone", "phoneNumbers[type eq \"mobile\"].value"),
            AttributeMapping.Direct("faxNumber", "phoneNumbers[type eq \"fax\"].value"),
            AttributeMapping.Direct("mailNickname", "externalId"),
            AttributeMapping.Direct("employeeId", EnterpriseUser + ":employeeNumber"),
            AttributeMapping.Direct("department", EnterpriseUser + ":department"),
            AttributeMapping.Direct("companyName", EnterpriseUser + ":organization"),
        ],
        Groups:
        [
            AttributeMapping.Direct("displayName", "displayName").AsMatching(1),
            AttributeMapping.Direct("id", "externalId"),
            AttributeMapping.Direct("members", "members"),
        ]);

    /// <summary>The profile names that have defaults.</summary>
    public static IReadOnlyList<string> Profiles { get; } = [AtlassianCloud, GenericScim];

    /// <summary>The defaults of a profile, or null for an unknown profile name.</summary>
    public static MappingSet? For(string profile) => profile.ToLowerInvariant() switch
    {
        AtlassianCloud => Atlassian,
        GenericScim => Generic,
        _ => null,
    };
}
