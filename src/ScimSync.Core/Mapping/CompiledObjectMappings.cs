using ScimSync.Core.Directory;

namespace ScimSync.Core.Mapping;

/// <summary>The validated mappings of one object kind in one job.</summary>
public sealed class CompiledObjectMappings
{
    internal CompiledObjectMappings(ObjectKind kind, IReadOnlyList<CompiledMapping> mappings)
    {
        Kind = kind;
        ProvisionsMembers = mappings.Any(m => m.Target.IsMembers);
        Mappings = mappings.Where(m => !m.Target.IsMembers).ToList();
        Matching = Mappings.Where(m => m.Definition.Matching).OrderBy(m => m.MatchingPrecedence).ToList();
        SourceAttributes = Mappings.SelectMany(m => m.SourceAttributes).ToHashSet(StringComparer.OrdinalIgnoreCase);
        GraphSelect = SourceAttributes.Where(a => !SourceAttributeCatalog.Computed.Contains(a))
            .Append("id")
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public ObjectKind Kind { get; }

    /// <summary>The attribute mappings, in order, without the <c>members</c> declaration.</summary>
    public IReadOnlyList<CompiledMapping> Mappings { get; }

    /// <summary>The matching mappings, by precedence.</summary>
    public IReadOnlyList<CompiledMapping> Matching { get; }

    /// <summary>Whether group membership is provisioned: the mappings declare <c>members</c>.</summary>
    public bool ProvisionsMembers { get; }

    /// <summary>Every source attribute the mappings read, computed ones (IsSoftDeleted) included.</summary>
    public IReadOnlySet<string> SourceAttributes { get; }

    /// <summary>The Graph properties to <c>$select</c>: the source attributes without computed ones, plus <c>id</c>.</summary>
    public IReadOnlyList<string> GraphSelect { get; }
}
