using System.Text.Json.Serialization;
using ScimSync.Core.Directory;

namespace ScimSync.Core.Scoping;

/// <summary>
/// A job's scope as written in the job file (<c>jobs[n].scope</c>): which objects are considered, whether nested
/// groups are flattened, and the scoping filters.
/// </summary>
public sealed class ScopeDefinition
{
    /// <summary><c>assigned</c> (default, as in Entra), <c>groups</c> or <c>all</c>.</summary>
    public ScopeMode Mode { get; set; } = ScopeMode.Assigned;

    /// <summary>For <c>assigned</c>: the object id of the enterprise app's service principal.</summary>
    public string? ServicePrincipalId { get; set; }

    /// <summary>For <c>groups</c>: the object ids of the groups in scope.</summary>
    public List<string> GroupIds { get; set; } = [];

    /// <summary>
    /// Off (default, Entra's behaviour): only immediate members of in-scope groups are in scope. On: members of nested
    /// groups are in scope too and become members of every enclosing in-scope group in the target (targets without
    /// nested groups, such as Atlassian Cloud, need this).
    /// </summary>
    public bool FlattenNestedGroups { get; set; }

    /// <summary>Entra scoping filters: clauses ANDed within a filter, filters ORed, per object kind.</summary>
    public List<ScopingFilterDefinition> Filters { get; set; } = [];

    /// <summary>How long one regex clause may run on one value before evaluation fails (default 250 ms).</summary>
    public int RegexTimeoutMilliseconds { get; set; } = 250;

    /// <summary>Every problem in the definition, each naming its setting under <paramref name="path"/> (e.g. <c>jobs[0].scope</c>).</summary>
    public IReadOnlyList<string> Validate(string path)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Mode))
        {
            errors.Add($"{path}.mode: use assigned, groups or all");
        }
        if (Mode == ScopeMode.Assigned && !IsObjectId(ServicePrincipalId))
        {
            errors.Add($"{path}.servicePrincipalId: the assigned mode needs the object id (a GUID) of the enterprise app's service principal");
        }
        if (Mode == ScopeMode.Groups)
        {
            if (GroupIds is not { Count: > 0 })
            {
                errors.Add($"{path}.groupIds: the groups mode needs at least one group object id");
            }
            for (var i = 0; i < (GroupIds?.Count ?? 0); i++)
            {
                if (!IsObjectId(GroupIds![i]))
                {
                    errors.Add($"{path}.groupIds[{i}]: \"{GroupIds[i]}\" is not a group object id (a GUID)");
                }
            }
        }
        if (RegexTimeoutMilliseconds is < 1 or > 10_000)
        {
            errors.Add($"{path}.regexTimeoutMilliseconds: use 1 to 10000");
        }
        else
        {
            errors.AddRange(ScopingFilterSet.Validate(Filters, $"{path}.filters", RegexTimeout));
        }
        return errors;
    }

    [JsonIgnore]
    public TimeSpan RegexTimeout => TimeSpan.FromMilliseconds(RegexTimeoutMilliseconds);

    private static bool IsObjectId(string? value) => Guid.TryParse(value, out _);
}
