using System.Collections.Frozen;

namespace ScimSync.Emulators.Graph.Tenant;

/// <summary>
/// The property names Graph v1.0 knows on users and groups. <c>$select</c> of a name outside these lists is answered
/// with 400, as Graph does, so that a typo in a client's select list cannot pass unnoticed against the emulator.
/// </summary>
public static class GraphProperties
{
    /// <summary>The user relationship that <c>$select</c> turns into <c>manager@delta</c>.</summary>
    public const string Manager = "manager";

    /// <summary>The group relationship that <c>$select</c> turns into <c>members@delta</c>.</summary>
    public const string Members = "members";

    /// <summary>Scalar and complex properties of microsoft.graph.user (v1.0).</summary>
    public static readonly FrozenSet<string> User = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "id", "aboutMe", "accountEnabled", "ageGroup", "assignedLicenses", "assignedPlans", "birthday", "businessPhones",
        "city", "companyName", "consentProvidedForMinor", "country", "createdDateTime", "creationType",
        "deletedDateTime", "department", "displayName", "employeeHireDate", "employeeId", "employeeLeaveDateTime",
        "employeeOrgData", "employeeType", "externalUserState", "externalUserStateChangeDateTime", "faxNumber",
        "givenName", "hireDate", "identities", "imAddresses", "interests", "isResourceAccount", "jobTitle",
        "lastPasswordChangeDateTime", "legalAgeGroupClassification", "mail", "mailNickname", "mobilePhone", "mySite",
        "officeLocation", "onPremisesDistinguishedName", "onPremisesDomainName", "onPremisesExtensionAttributes",
        "onPremisesImmutableId", "onPremisesLastSyncDateTime", "onPremisesSamAccountName",
        "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "otherMails",
        "passwordPolicies", "pastProjects", "postalCode", "preferredDataLocation", "preferredLanguage", "preferredName",
        "proxyAddresses", "responsibilities", "schools", "securityIdentifier", "showInAddressList",
        "signInSessionsValidFromDateTime", "skills", "state", "streetAddress", "surname", "usageLocation",
        "userPrincipalName", "userType",
    ]);

    /// <summary>Scalar and complex properties of microsoft.graph.group (v1.0).</summary>
    public static readonly FrozenSet<string> Group = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "id", "classification", "createdDateTime", "deletedDateTime", "description", "displayName",
        "expirationDateTime", "groupTypes", "isAssignableToRole", "mail", "mailEnabled", "mailNickname",
        "membershipRule", "membershipRuleProcessingState", "onPremisesDomainName", "onPremisesLastSyncDateTime",
        "onPremisesNetBiosName", "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
        "preferredDataLocation", "preferredLanguage", "proxyAddresses", "renewedDateTime", "securityEnabled",
        "securityIdentifier", "theme", "visibility",
    ]);

    /// <summary>
    /// What Graph returns for a user when the request has no <c>$select</c>: a limited default set, not every
    /// property. A client that forgets to select <c>accountEnabled</c> therefore sees no value for it here too.
    /// </summary>
    public static readonly IReadOnlyList<string> UserDefault =
    [
        "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
        "preferredLanguage", "surname", "userPrincipalName",
    ];

    /// <summary>What Graph returns for a group when the request has no <c>$select</c>.</summary>
    public static readonly IReadOnlyList<string> GroupDefault =
    [
        "classification", "createdDateTime", "deletedDateTime", "description", "displayName", "expirationDateTime",
        "groupTypes", "isAssignableToRole", "mail", "mailEnabled", "mailNickname", "membershipRule",
        "membershipRuleProcessingState", "onPremisesDomainName", "onPremisesLastSyncDateTime",
        "onPremisesNetBiosName", "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
        "preferredDataLocation", "preferredLanguage", "proxyAddresses", "renewedDateTime", "securityEnabled",
        "securityIdentifier", "theme", "visibility",
    ];

    /// <summary>
    /// User properties kept outside the main directory store (the SharePoint-backed profile: graph-delta.md §3 names
    /// <c>skills</c>). Changing them does not surface the user in delta.
    /// </summary>
    public static readonly FrozenSet<string> UntrackedByDelta = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "aboutMe", "birthday", "hireDate", "interests", "mySite", "pastProjects", "preferredName", "responsibilities", "schools", "skills",
    ]);

    /// <summary>Directory schema extensions (<c>extension_{appId}_{name}</c>) are valid on both kinds.</summary>
    public static bool IsExtension(string name) =>
        name.StartsWith("extension_", StringComparison.OrdinalIgnoreCase) && name.Length > "extension_".Length;

    /// <summary>The canonical (Graph-cased) spelling of a known property, or null when the name is unknown.</summary>
    public static string? Canonical(ObjectType type, string name)
    {
        if (IsExtension(name))
        {
            return name;
        }

        var known = type == ObjectType.User ? User : Group;
        return known.TryGetValue(name, out var canonical) ? canonical : null;
    }
}
