using System.Globalization;
using System.Text.Json;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Seeding;

/// <summary>
/// Builds large tenants in code for tests and benchmarks, e.g. 10,000 users and 500 groups, one of them with
/// 5,000 members. Ids are deterministic, so two builds with the same calls describe the same tenant.
/// </summary>
public sealed class DirectorySeedBuilder
{
    private readonly List<UserSeed> _users = [];
    private readonly List<GeneratedUsersSeed> _blocks = [];
    private readonly List<GroupSeed> _groups = [];
    private readonly List<AppRoleAssignmentSeed> _assignments = [];
    private readonly string _domain;
    private ServicePrincipalSeed _servicePrincipal = new()
    {
        AppRoles =
        [
            new() { Id = UserRoleId, Value = "User", DisplayName = "User" },
            new() { Id = Guid.Empty, Value = null, DisplayName = "Default Access" },
        ],
    };

    private int _userCounter;
    private int _groupCounter;

    public DirectorySeedBuilder(string domain = "contoso.com") => _domain = domain;

    /// <summary>The app role the builder's service principal offers besides Default Access.</summary>
    public static Guid UserRoleId { get; } = Guid.Parse("0000000a-0000-4000-8000-0000000000a1");

    public DirectorySeedBuilder WithServicePrincipal(ServicePrincipalSeed servicePrincipal)
    {
        _servicePrincipal = servicePrincipal;
        return this;
    }

    /// <summary>Adds one user with the given Graph properties; returns its id.</summary>
    public string AddUser(string userPrincipalName, string displayName, IReadOnlyDictionary<string, object?>? properties = null)
    {
        var id = NextUserId();
        var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase)
        {
            ["userPrincipalName"] = GraphValue.From(userPrincipalName)!.Value,
            ["displayName"] = GraphValue.From(displayName)!.Value,
            ["accountEnabled"] = GraphValue.From(true)!.Value,
        };
        foreach (var (name, value) in properties ?? new Dictionary<string, object?>())
        {
            if (GraphValue.From(value) is { } element)
            {
                values[name] = element;
            }
        }

        _users.Add(new UserSeed { Id = id, Properties = values });
        return id;
    }

    /// <summary>
    /// Adds <paramref name="count"/> uniform users as a generatedUsers block (cheap to describe, expanded when the
    /// tenant starts); returns their ids in order.
    /// </summary>
    public IReadOnlyList<string> AddUsers(int count, string department = "Operations", string? key = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var index = _blocks.Count + 1;
        var block = new GeneratedUsersSeed
        {
            Key = key ?? $"block{index}",
            Count = count,
            IdPrefix = $"b10c{index:x4}-0000-4000-8000-",
            UpnPrefix = $"user{index}-",
            Domain = _domain,
            GivenName = "User",
            SurnamePrefix = $"B{index}-",
            Department = department,
            JobTitle = "Staff",
        };
        _blocks.Add(block);
        return Enumerable.Range(1, count).Select(number => GeneratedUsers.IdOf(block, number)).ToList();
    }

    /// <summary>Adds a group whose members are the given user or group ids; returns its id.</summary>
    public string AddGroup(string displayName, IEnumerable<string>? memberIds = null, string? description = null)
    {
        _groupCounter++;
        var id = $"00000000-0000-4000-9000-{_groupCounter:D12}";
        var nickname = new string(displayName.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        _groups.Add(new GroupSeed
        {
            Id = id,
            DisplayName = displayName,
            Description = description,
            MailNickname = nickname.Length > 0 ? nickname : $"group{_groupCounter}",
            Members = memberIds?.ToList() ?? [],
        });
        return id;
    }

    /// <summary>Assigns a user or group to the service principal (Default Access unless a role is given).</summary>
    public DirectorySeedBuilder Assign(string principalId, ObjectType principalType, Guid? appRoleId = null)
    {
        _assignments.Add(new AppRoleAssignmentSeed
        {
            PrincipalId = principalId,
            PrincipalType = principalType.ToString(),
            AppRoleId = appRoleId ?? UserRoleId,
        });
        return this;
    }

    public DirectorySeed Build()
    {
        var seed = new DirectorySeed
        {
            Tenant = new TenantSeed { DisplayName = "Generated tenant", VerifiedDomains = [_domain] },
            ServicePrincipal = _servicePrincipal,
            Users = [.. _users],
            GeneratedUsers = [.. _blocks],
            Groups = [.. _groups],
            AppRoleAssignments = [.. _assignments],
        };
        var problems = DirectorySeedValidator.Validate(seed);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The built directory is inconsistent: " + string.Join("; ", problems));
        }

        return seed;
    }

    private string NextUserId()
    {
        _userCounter++;
        return $"00000000-0000-4000-8000-{_userCounter.ToString("D12", CultureInfo.InvariantCulture)}";
    }
}
