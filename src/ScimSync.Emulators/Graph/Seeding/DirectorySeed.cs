using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimSync.Emulators.Graph.Seeding;

/// <summary>
/// A tenant to serve, in the demo directory format (docs/demo-directory.md). Load one with
/// <see cref="DirectorySeedFile"/>, or build one in code with <see cref="DirectorySeedBuilder"/>.
/// </summary>
public sealed record DirectorySeed
{
    [JsonPropertyName("$comment")]
    public string? Comment { get; init; }

    public TenantSeed Tenant { get; init; } = new();

    public ServicePrincipalSeed ServicePrincipal { get; init; } = new();

    public List<UserSeed> Users { get; init; } = [];

    public List<GeneratedUsersSeed> GeneratedUsers { get; init; } = [];

    public List<GroupSeed> Groups { get; init; } = [];

    public List<AppRoleAssignmentSeed> AppRoleAssignments { get; init; } = [];
}

public sealed record TenantSeed
{
    public string Id { get; init; } = "00000000-0000-4000-8000-00000000a11c";

    public string DisplayName { get; init; } = "Emulated tenant";

    public List<string> VerifiedDomains { get; init; } = [];
}

/// <summary>The enterprise application users and groups are assigned to.</summary>
public sealed record ServicePrincipalSeed
{
    public string Id { get; init; } = "00000000-0000-4000-8000-0000000005e1";

    public string AppId { get; init; } = "00000000-0000-4000-8000-0000000a9901";

    public string DisplayName { get; init; } = "Emulated application";

    public List<AppRoleSeed> AppRoles { get; init; } = [new() { Id = Guid.Empty, Value = null, DisplayName = "Default Access" }];
}

public sealed record AppRoleSeed
{
    public Guid Id { get; init; }

    public string? Value { get; init; }

    public string? DisplayName { get; init; }
}

/// <summary>A user: <c>id</c>, <c>managerId</c>, and any Graph user properties by their Graph names.</summary>
public sealed record UserSeed
{
    public string Id { get; init; } = "";

    public string? ManagerId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Properties { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// A block of uniform users: number n (1..count) gets id <c>idPrefix</c> + n as 12 digits, UPN
/// <c>upnPrefix</c> + n as 3 digits + @ + <c>domain</c>, surname <c>surnamePrefix</c> + n as 3 digits.
/// </summary>
public sealed record GeneratedUsersSeed
{
    public string Key { get; init; } = "";

    public int Count { get; init; }

    public string IdPrefix { get; init; } = "";

    public string UpnPrefix { get; init; } = "";

    public string Domain { get; init; } = "";

    public string GivenName { get; init; } = "";

    public string SurnamePrefix { get; init; } = "";

    public string? Department { get; init; }

    public string? JobTitle { get; init; }
}

public sealed record GroupSeed
{
    public string Id { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string? Description { get; init; }

    public string? MailNickname { get; init; }

    public bool SecurityEnabled { get; init; } = true;

    public bool MailEnabled { get; init; }

    /// <summary>Ids of member users and of nested groups.</summary>
    public List<string> Members { get; init; } = [];

    /// <summary>The key of a <see cref="GeneratedUsersSeed"/> block whose users are all members.</summary>
    public string? IncludeGeneratedUsers { get; init; }
}

public sealed record AppRoleAssignmentSeed
{
    /// <summary><c>User</c> or <c>Group</c>.</summary>
    public string PrincipalType { get; init; } = "";

    public string PrincipalId { get; init; } = "";

    public Guid AppRoleId { get; init; }
}
