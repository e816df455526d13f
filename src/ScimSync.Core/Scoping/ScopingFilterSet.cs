using ScimSync.Core.Directory;
using ScimSync.Core.Mapping;

namespace ScimSync.Core.Scoping;

/// <summary>
/// The compiled scoping filters of one job: per object kind, filters ORed, clauses within a filter ANDed.
/// Regexes are compiled once here, with a match timeout.
/// </summary>
public sealed class ScopingFilterSet
{
    /// <summary>The default regex match timeout.</summary>
    public static readonly TimeSpan DefaultRegexTimeout = TimeSpan.FromMilliseconds(250);

    private readonly IReadOnlyList<CompiledFilter> _filters;

    private ScopingFilterSet(IReadOnlyList<CompiledFilter> filters) => _filters = filters;

    /// <summary>A set with no filters: every object passes.</summary>
    public static ScopingFilterSet None { get; } = new([]);

    /// <summary>Validates every filter and clause; the errors name the setting path (<paramref name="path"/> = e.g. <c>jobs[0].scope.filters</c>).</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<ScopingFilterDefinition>? definitions, string path, TimeSpan? regexTimeout = null)
    {
        var errors = new List<string>();
        Build(definitions, path, regexTimeout ?? DefaultRegexTimeout, errors);
        return errors;
    }

    /// <summary>Compiles the filters, or throws <see cref="ScopeConfigurationException"/> listing every problem.</summary>
    public static ScopingFilterSet Compile(IReadOnlyList<ScopingFilterDefinition>? definitions, string path, TimeSpan? regexTimeout = null)
    {
        var errors = new List<string>();
        var set = Build(definitions, path, regexTimeout ?? DefaultRegexTimeout, errors);
        return errors.Count == 0 ? set : throw new ScopeConfigurationException(errors);
    }

    private static ScopingFilterSet Build(IReadOnlyList<ScopingFilterDefinition>? definitions, string path, TimeSpan regexTimeout, List<string> errors)
    {
        var filters = new List<CompiledFilter>();
        for (var i = 0; i < (definitions?.Count ?? 0); i++)
        {
            var definition = definitions![i];
            var filterPath = $"{path}[{i}]";
            if (definition.Clauses is not { Count: > 0 })
            {
                errors.Add($"{filterPath}.clauses: a filter needs at least one clause");
                continue;
            }
            var clauses = new List<ScopingClause>();
            for (var c = 0; c < definition.Clauses.Count; c++)
            {
                var clausePath = $"{filterPath}.clauses[{c}]";
                if (ScopingClause.Compile(definition.Clauses[c], clausePath, regexTimeout, errors) is not { } clause)
                {
                    continue;
                }

                // A misspelt attribute is absent from every object, so the clause would quietly fail for everyone.
                if (!SourceAttributeCatalog.Default.IsKnown(definition.AppliesTo, clause.Attribute))
                {
                    var suggestion = SourceAttributeCatalog.Default.Suggest(definition.AppliesTo, clause.Attribute);
                    errors.Add($"{clausePath}.attribute: '{clause.Attribute}' is not a known {definition.AppliesTo.ToString().ToLowerInvariant()} source attribute. " +
                        (suggestion is not null
                            ? $"Did you mean '{suggestion}'?"
                            : "Use a Microsoft Graph attribute name or a directory extension (extension_<appId>_<name>)."));
                    continue;
                }

                clauses.Add(clause);
            }
            filters.Add(new CompiledFilter(filterPath, definition.Name ?? $"filter {i + 1}", definition.AppliesTo, clauses));
        }
        return new ScopingFilterSet(filters);
    }

    /// <summary>True when at least one filter applies to objects of this kind.</summary>
    public bool HasFiltersFor(ObjectKind kind) => _filters.Any(f => f.AppliesTo == kind);

    /// <summary>Decides whether the object passes the filters of its kind, with the evidence.</summary>
    public ScopingFilterDecision Evaluate(SourceObject source)
    {
        var results = new List<FilterResult>();
        foreach (var filter in _filters.Where(f => f.AppliesTo == source.Kind))
        {
            var clauses = new List<ClauseResult>();
            var passed = true;
            foreach (var clause in filter.Clauses)
            {
                var result = clause.Evaluate(source);
                clauses.Add(result);
                if (!result.Passed)
                {
                    // AND: the first failing clause decides; later clauses are not needed as evidence.
                    passed = false;
                    break;
                }
            }
            results.Add(new FilterResult(filter.Path, filter.Name, passed, clauses));
            if (passed)
            {
                break;
            }
        }
        return new ScopingFilterDecision(results.Count == 0 || results[^1].Passed, results);
    }

    private sealed record CompiledFilter(string Path, string Name, ObjectKind AppliesTo, IReadOnlyList<ScopingClause> Clauses);
}

/// <summary>The outcome of one filter and the clauses that decided it.</summary>
public sealed record FilterResult(string Path, string Name, bool Passed, IReadOnlyList<ClauseResult> Clauses)
{
    public override string ToString() => Passed
        ? $"{Name} matched: {string.Join(" AND ", Clauses)}"
        : $"{Name} did not match: {Clauses[^1]}";
}

/// <summary>Whether an object passed the scoping filters, and why: the filter that matched, or each filter's failing clause.</summary>
public sealed record ScopingFilterDecision(bool InScope, IReadOnlyList<FilterResult> Filters)
{
    /// <summary>The matching filter, when one matched.</summary>
    public FilterResult? MatchedFilter => InScope && Filters.Count > 0 ? Filters[^1] : null;

    /// <summary>A sentence for provisioning logs and the plan output.</summary>
    public string Explanation => Filters.Count == 0
        ? "no scoping filter applies"
        : InScope ? MatchedFilter!.ToString() : "no scoping filter matched: " + string.Join("; ", Filters);
}
