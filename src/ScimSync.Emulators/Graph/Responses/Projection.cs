using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Responses;

/// <summary>
/// Which properties a response carries: the <c>$select</c> list (id always), or Graph's default set when there is
/// none. Selected properties are also the ones a delta round tracks.
/// </summary>
internal sealed class Projection
{
    private Projection(ObjectType type, IReadOnlyList<string> properties, bool relationship, IReadOnlyList<string>? selected)
    {
        Type = type;
        Properties = properties;
        IncludesRelationship = relationship;
        Selected = selected;
    }

    public ObjectType Type { get; }

    /// <summary>Properties to write besides id, in the order requested.</summary>
    public IReadOnlyList<string> Properties { get; }

    /// <summary><c>manager</c> for users or <c>members</c> for groups was selected.</summary>
    public bool IncludesRelationship { get; }

    /// <summary>The canonical select list as requested, or null when none was given.</summary>
    public IReadOnlyList<string>? Selected { get; }

    public static Projection Default(ObjectType type) =>
        new(type, type == ObjectType.User ? GraphProperties.UserDefault : GraphProperties.GroupDefault, false, null);

    /// <summary>Parses a <c>$select</c> value; returns null and the Graph error message for an unknown name.</summary>
    public static Projection? Parse(ObjectType type, string? select, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(select))
        {
            return Default(type);
        }

        return FromList(type, select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), out error);
    }

    public static Projection? FromList(ObjectType type, IReadOnlyList<string>? names, out string? error)
    {
        error = null;
        if (names is null)
        {
            return Default(type);
        }

        var relationship = type == ObjectType.User ? GraphProperties.Manager : GraphProperties.Members;
        var properties = new List<string>();
        var selected = new List<string>();
        var includesRelationship = false;
        foreach (var name in names)
        {
            if (string.Equals(name, relationship, StringComparison.OrdinalIgnoreCase))
            {
                includesRelationship = true;
                selected.Add(relationship);
                continue;
            }

            var canonical = GraphProperties.Canonical(type, name);
            if (canonical is null)
            {
                error = $"Could not find a property named '{name}' on type 'microsoft.graph.{type.ToString().ToLowerInvariant()}'.";
                return null;
            }

            selected.Add(canonical);
            if (canonical != "id" && !properties.Contains(canonical, StringComparer.OrdinalIgnoreCase))
            {
                properties.Add(canonical);
            }
        }

        return new Projection(type, properties, includesRelationship, selected);
    }

    /// <summary>For <c>@odata.context</c>: <c>users(displayName,id)</c> or <c>users</c>.</summary>
    public string ContextSuffix(string entitySet) =>
        Selected is null ? entitySet : $"{entitySet}({string.Join(',', Selected)})";
}
