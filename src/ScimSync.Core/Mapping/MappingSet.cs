using ScimSync.Core.Directory;

namespace ScimSync.Core.Mapping;

/// <summary>The user and group mappings of a job, after defaults, removals and overrides are applied.</summary>
public sealed record MappingSet(IReadOnlyList<AttributeMapping> Users, IReadOnlyList<AttributeMapping> Groups)
{
    public IReadOnlyList<AttributeMapping> For(ObjectKind kind) => kind == ObjectKind.User ? Users : Groups;

    /// <summary>
    /// Applies a job's <c>mappings</c> section to these defaults: drop the removed target paths, then replace the
    /// mapping with the same target path or add a new one. Target paths compare case-insensitively.
    /// </summary>
    public MappingSet Apply(JobMappingsConfiguration configuration)
    {
        var start = configuration.ReplaceDefaults ? new MappingSet([], []) : this;
        return new MappingSet(
            Merge(start.Users, configuration.RemoveUsers, configuration.Users),
            Merge(start.Groups, configuration.RemoveGroups, configuration.Groups));
    }

    private static List<AttributeMapping> Merge(IReadOnlyList<AttributeMapping> defaults, IReadOnlyList<string> remove, IReadOnlyList<AttributeMapping> overrides)
    {
        var removed = remove.Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = defaults.Where(m => !removed.Contains(Normalize(m.Target))).ToList();
        foreach (var mapping in overrides)
        {
            var index = result.FindIndex(m => string.Equals(Normalize(m.Target), Normalize(mapping.Target), StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                result[index] = mapping;
            }
            else
            {
                result.Add(mapping);
            }
        }

        return result;
    }

    internal static string Normalize(string? target) => target?.Trim() ?? string.Empty;
}
