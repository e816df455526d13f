using ScimSync.Emulators.Faults;

namespace ScimSync.Emulators.Atlassian;

/// <summary>How to start an <see cref="AtlassianScimEmulator"/>.</summary>
public sealed class AtlassianEmulatorOptions
{
    /// <summary>The directory id in the base URL <c>/scim/directory/{directoryId}</c>; other ids get 404.</summary>
    public string DirectoryId { get; set; } = "7d3b4e60-5c1a-4f6e-9a2b-0c8d1e2f3a4b";

    /// <summary>The directory API key clients send as a bearer token; a random one when null.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Most users in one group (atlassian-scim-api.md §12: 35,000).</summary>
    public int MaxMembersPerGroup { get; set; } = 35_000;

    /// <summary>Most resources in one list page (§3: 100).</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>Faults to start with; a new, fault-free <see cref="FaultSettings"/> when null.</summary>
    public FaultSettings? Faults { get; set; }

    /// <summary>
    /// The 429 header style when <see cref="Faults"/> is null. Atlassian documents none for SCIM; its organization APIs
    /// document <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c> (§11), the default here.
    /// </summary>
    public ThrottleHeaderStyle ThrottleStyle { get; set; } = ThrottleHeaderStyle.RateLimitReset;

    /// <summary>Most users in the directory (§12: 150,000); see <see cref="DirectoryFull"/>.</summary>
    public int MaxUsers { get; set; } = 150_000;

    /// <summary>What a new user past <see cref="MaxUsers"/> gets.</summary>
    public DirectoryFullBehaviour DirectoryFull { get; set; } = DirectoryFullBehaviour.AcceptedNotSynced;

    /// <summary>The organization's verified domains (§7). Empty: every domain counts as verified.</summary>
    public IReadOnlyList<string> VerifiedDomains { get; set; } = [];

    /// <summary>What users whose primary email is outside <see cref="VerifiedDomains"/> get (§7).</summary>
    public ExternalUserRule ExternalUsers { get; set; } = ExternalUserRule.Allowed;

    /// <summary>
    /// Names of default-access and built-in groups (§8): a SCIM group with one of these names is created (201) but not
    /// synced to the sites, which <see cref="AtlassianGroup.SyncedToSites"/> shows.
    /// </summary>
    public IReadOnlyList<string> BuiltInGroupNames { get; set; } =
    [
        "site-admins", "administrators", "confluence-users", "confluence-administrators", "jira-users",
        "jira-administrators", "jira-software-users", "jira-servicemanagement-users", "jira-core-users", "trusted-users",
    ];

    /// <summary>What a group rename does (§8: not supported; the answer is not documented).</summary>
    public GroupRenameBehaviour GroupRename { get; set; } = GroupRenameBehaviour.Refused;

    /// <summary>What a rename that changes only the case of a group's name does (not documented).</summary>
    public GroupRenameBehaviour CaseOnlyGroupRename { get; set; } = GroupRenameBehaviour.Refused;

    /// <summary>How userNames compare and are stored (not documented beyond "guarantee its uniqueness", §4).</summary>
    public UserNameCaseRule UserNameCase { get; set; } = UserNameCaseRule.CaseInsensitive;

    /// <summary>How the enterprise extension takes writes (§4 marks it read-only; the API's answer is not documented).</summary>
    public EnterpriseExtensionMode EnterpriseExtension { get; set; } = EnterpriseExtensionMode.Stored;

    /// <summary>Users, groups and accounts loaded before the first request.</summary>
    public AtlassianSeed? Seed { get; set; }

    /// <summary>Clock for meta.created/lastModified and fault timing.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DirectoryId) || DirectoryId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{nameof(AtlassianEmulatorOptions)}.{nameof(DirectoryId)} must be a non-empty path segment, not '{DirectoryId}'.");
        }

        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException($"{nameof(AtlassianEmulatorOptions)}.{nameof(ApiKey)} cannot be blank; leave it null for a random key.");
        }

        if (MaxMembersPerGroup < 1 || MaxPageSize < 1 || MaxUsers < 1)
        {
            throw new ArgumentException($"{nameof(AtlassianEmulatorOptions)}.{nameof(MaxMembersPerGroup)}, {nameof(MaxPageSize)} and {nameof(MaxUsers)} must be at least 1.");
        }
    }
}
