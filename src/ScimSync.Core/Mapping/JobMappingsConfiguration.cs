namespace ScimSync.Core.Mapping;

/// <summary>
/// The <c>mappings</c> section of a job: the job starts from its profile's default mappings (unless
/// <see cref="IncludeDefaults"/> is false), removes the target paths listed in <see cref="RemoveUsers"/> and
/// <see cref="RemoveGroups"/>, and then each entry of <see cref="Users"/> and <see cref="Groups"/> replaces the
/// default with the same target path or is added.
/// </summary>
public sealed record JobMappingsConfiguration
{
    public bool IncludeDefaults { get; init; } = true;

    public IReadOnlyList<AttributeMapping> Users { get; init; } = [];

    public IReadOnlyList<AttributeMapping> Groups { get; init; } = [];

    /// <summary>Target paths of default user mappings to drop.</summary>
    public IReadOnlyList<string> RemoveUsers { get; init; } = [];

    /// <summary>Target paths of default group mappings to drop; <c>members</c> turns membership provisioning off.</summary>
    public IReadOnlyList<string> RemoveGroups { get; init; } = [];
}
