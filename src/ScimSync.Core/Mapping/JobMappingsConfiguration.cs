using System.Text.Json.Serialization;

namespace ScimSync.Core.Mapping;

/// <summary>
/// The <c>mappings</c> section of a job: the job starts from its profile's default mappings (unless
/// <see cref="ReplaceDefaults"/> is true), removes the target paths listed in <see cref="RemoveUsers"/> and
/// <see cref="RemoveGroups"/>, and then each entry of <see cref="Users"/> and <see cref="Groups"/> replaces the
/// default with the same target path or is added.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JobMappingsConfiguration
{
    // A list left out of the file, or written as null, reads as empty.
    private readonly IReadOnlyList<AttributeMapping> _users = [];
    private readonly IReadOnlyList<AttributeMapping> _groups = [];
    private readonly IReadOnlyList<string> _removeUsers = [];
    private readonly IReadOnlyList<string> _removeGroups = [];

    /// <summary>When true the job's mappings are exactly <see cref="Users"/> and <see cref="Groups"/>, without the profile's defaults.</summary>
    public bool ReplaceDefaults { get; init; }

    public IReadOnlyList<AttributeMapping> Users { get => _users; init => _users = value ?? []; }

    public IReadOnlyList<AttributeMapping> Groups { get => _groups; init => _groups = value ?? []; }

    /// <summary>Target paths of default user mappings to drop.</summary>
    public IReadOnlyList<string> RemoveUsers { get => _removeUsers; init => _removeUsers = value ?? []; }

    /// <summary>Target paths of default group mappings to drop; <c>members</c> turns membership provisioning off.</summary>
    public IReadOnlyList<string> RemoveGroups { get => _removeGroups; init => _removeGroups = value ?? []; }
}
