using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimSync.Emulators.Graph.Seeding;

/// <summary>
/// A tenant to serve, in the demo directory format (docs/demo-directory.md). Load one with
/// <see cref="DirectorySeedFile"/>, or build one in code with <see cref="DirectorySeedBuilder"/>.
/// </summary>
/// <remarks>
/// Properties are settable rather than init-only: System.Text.Json treats init-only properties like constructor
/// parameters and would leave a key missing from the file as null instead of its default.
/// </remarks>
public sealed record DirectorySeed
{
    [JsonPropertyName("$comment")]
    public string? Comment { get; set; }

    public TenantSeed Tenant { get; set; } = new();

    public ServicePrincipalSeed ServicePrincipal { get; set; } = new();

    public List<UserSeed> Users { get; set; } = [];

    public List<GeneratedUsersSeed> GeneratedUsers { get; set; } = [];

    public List<GroupSeed> Groups { get; set; } = [];

    public List<AppRoleAssignmentSeed> AppRoleAssignments { get; set; } = [];
}

public sealed record TenantSeed
{
    public string Id { get; set; } = "00000000-0000-4000-8000-00000000a11c";

    public string DisplayName { get; set; } = "Emulated tenant";

    public List<string> VerifiedDomains { get; set; } = [];
}

/// <summary>The enterprise application users and groups are assigned to.</summary>
public sealed record ServicePrincipalSeed
{
    public string Id { get; set; } = "00000000-0000-4000-8000-0000000005e1";

    public string AppId { get; set; } = "00000000-0000-4000-8000-0000000a9901";

    public string DisplayName { get; set; } = "Emulated application";

    public List<AppRoleSeed> AppRoles { get; set; } = [new() { Id = Guid.Empty, Value = null, DisplayName = "Default Access" }];
}

public sealed record AppRoleSeed
{
    public Guid Id { get; set; }

    public string? Value { get; set; }

    public string? DisplayName { get; set; }
}

/// <summary>A user: <c>id</c>, <c>managerId</c>, and any Graph user properties by their Graph names.</summary>
public sealed record UserSeed
{
    public string Id { get; set; } = "";

    public string? ManagerId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Properties { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// A block of uniform users: number n (1..count) gets id <c>idPrefix</c> + n as 12 digits, UPN
/// <c>upnPrefix</c> + n as 3 digits + @ + <c>domain</c>, surname <c>surnamePrefix</c> + n as 3 digits.
/// </summary>
public sealed record GeneratedUsersSeed
{
    public string Key { get; set; } = "";

    public int Count { get; set; }

    public string IdPrefix { get; set; } = "";

    public string UpnPrefix { get; set; } = "";

    public string Domain { get; set; } = "";

    public string GivenName { get; set; } = "";

    public string SurnamePrefix { get; set; } = "";

    public string? Department { get; set; }

    public string? JobTitle { get; set; }
}

public sealed record GroupSeed
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string? Description { get; set; }

    public string? MailNickname { get; set; }

    public bool SecurityEnabled { get; set; } = true;

    public bool MailEnabled { get; set; }

    /// <summary>Ids of member users and of nested groups.</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>The key of a <see cref="GeneratedUsersSeed"/> block whose users are all members.</summary>
    public string? IncludeGeneratedUsers { get; set; }
}

public sealed record AppRoleAssignmentSeed
{
    /// <summary><c>User</c> or <c>Group</c>.</summary>
    public string PrincipalType { get; set; } = "";

    public string PrincipalId { get; set; } = "";

    public Guid AppRoleId { get; set; }
}
