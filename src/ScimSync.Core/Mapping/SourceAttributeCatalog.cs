using System.Collections.Immutable;
using ScimSync.Core.Directory;

namespace ScimSync.Core.Mapping;

/// <summary>
/// The source attribute names mappings may read, per object kind: Graph user and group properties, directory
/// extensions (<c>extension_&lt;appId&gt;_name</c>), and the computed <c>IsSoftDeleted</c>. Names are
/// case-insensitive, as in Entra. Extend it with <see cref="With"/> when the directory reader offers more.
/// </summary>
public sealed class SourceAttributeCatalog
{
    /// <summary>Attributes that are not Graph properties: computed by scoping or taken from the object's id.</summary>
    public static readonly ImmutableHashSet<string> Computed =
        ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "IsSoftDeleted", "objectId");

    /// <summary>Graph user properties (and Entra's names for them) that mappings may read.</summary>
    public static readonly ImmutableArray<string> DefaultUserAttributes =
    [
        "id", "objectId", "IsSoftDeleted", "userPrincipalName", "mail", "mailNickname", "givenName", "surname",
        "displayName", "jobTitle", "department", "companyName", "accountEnabled", "employeeId", "employeeType",
        "employeeHireDate", "employeeLeaveDateTime", "employeeOrgData", "mobilePhone", "businessPhones", "faxNumber",
        "proxyAddresses", "otherMails", "imAddresses", "officeLocation", "streetAddress", "city", "state",
        "postalCode", "country", "usageLocation", "preferredLanguage", "preferredDataLocation", "userType",
        "createdDateTime", "creationType", "externalUserState", "ageGroup", "consentProvidedForMinor",
        "legalAgeGroupClassification", "passwordPolicies", "showInAddressList", "securityIdentifier", "identities",
        "onPremisesSamAccountName", "onPremisesImmutableId", "onPremisesSecurityIdentifier",
        "onPremisesDistinguishedName", "onPremisesDomainName", "onPremisesUserPrincipalName", "onPremisesSyncEnabled",
        "onPremisesExtensionAttributes", "originalUserPrincipalName", "appRoleAssignments", "manager",
        "extensionAttribute1", "extensionAttribute2", "extensionAttribute3", "extensionAttribute4",
        "extensionAttribute5", "extensionAttribute6", "extensionAttribute7", "extensionAttribute8",
        "extensionAttribute9", "extensionAttribute10", "extensionAttribute11", "extensionAttribute12",
        "extensionAttribute13", "extensionAttribute14", "extensionAttribute15",
    ];

    /// <summary>Graph group properties that mappings may read; <c>members</c> only declares membership provisioning.</summary>
    public static readonly ImmutableArray<string> DefaultGroupAttributes =
    [
        "id", "objectId", "IsSoftDeleted", "displayName", "description", "mailNickname", "mail", "mailEnabled",
        "securityEnabled", "groupTypes", "visibility", "classification", "createdDateTime", "proxyAddresses",
        "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "appRoleAssignments",
        "members",
    ];

    /// <summary>The catalog of Graph attributes above.</summary>
    public static readonly SourceAttributeCatalog Default = new(
        DefaultUserAttributes.ToImmutableHashSet(StringComparer.OrdinalIgnoreCase),
        DefaultGroupAttributes.ToImmutableHashSet(StringComparer.OrdinalIgnoreCase));

    private const string ExtensionPrefix = "extension_";

    private readonly ImmutableHashSet<string> _users;
    private readonly ImmutableHashSet<string> _groups;

    private SourceAttributeCatalog(ImmutableHashSet<string> users, ImmutableHashSet<string> groups)
    {
        _users = users;
        _groups = groups;
    }

    /// <summary>The known names for a kind of object.</summary>
    public IReadOnlySet<string> Names(ObjectKind kind) => kind == ObjectKind.User ? _users : _groups;

    /// <summary>A catalog that also knows <paramref name="names"/> for <paramref name="kind"/>.</summary>
    public SourceAttributeCatalog With(ObjectKind kind, params IEnumerable<string> names) => kind == ObjectKind.User
        ? new SourceAttributeCatalog(_users.Union(names), _groups)
        : new SourceAttributeCatalog(_users, _groups.Union(names));

    public bool IsKnown(ObjectKind kind, string name) =>
        Names(kind).Contains(name)
        || (name.StartsWith(ExtensionPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > ExtensionPrefix.Length);

    /// <summary>The known name closest to <paramref name="name"/>, or null when none is close.</summary>
    public string? Suggest(ObjectKind kind, string name) => NameSuggestion.Nearest(name, Names(kind));
}
