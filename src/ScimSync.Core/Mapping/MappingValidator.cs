using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping.Expressions;

namespace ScimSync.Core.Mapping;

/// <summary>
/// Checks a job's <c>mappings</c> section at start-up and compiles it: target path syntax, expression syntax,
/// function names and argument counts, source attribute names, and matching attributes. Reports every problem at
/// once, each with its setting path, the job, the mapping, the position and a hint.
/// </summary>
public sealed class MappingValidator(SourceAttributeCatalog catalog)
{
    public MappingValidator()
        : this(SourceAttributeCatalog.Default)
    {
    }

    /// <summary>Validates and compiles the mappings of the job at <paramref name="jobIndex"/> in the job file.</summary>
    /// <param name="job">The job's id, named in every error.</param>
    /// <param name="jobIndex">The job's index in the file's <c>jobs</c> array, for the setting paths.</param>
    /// <param name="profile">The job's target profile, whose defaults the mappings start from.</param>
    /// <param name="configuration">The job's <c>mappings</c> section; null means the profile's defaults.</param>
    public MappingValidationResult Validate(JobId job, int jobIndex, string profile, JobMappingsConfiguration? configuration = null)
    {
        configuration ??= new JobMappingsConfiguration();
        var prefix = $"jobs[{jobIndex}].mappings";
        var errors = new List<MappingValidationError>();

        var defaults = DefaultMappings.For(profile);
        if (defaults is null)
        {
            if (!configuration.ReplaceDefaults)
            {
                errors.Add(new(prefix, job, null, null, $"the profile '{profile}' has no default mappings",
                    $"Use one of {string.Join(", ", DefaultMappings.Profiles.Select(p => $"'{p}'"))}, or set replaceDefaults to true and list every mapping."));
            }

            defaults = new MappingSet([], []);
        }

        var users = ValidateKind(ObjectKind.User, "users", "removeUsers", configuration.Users, configuration.RemoveUsers);
        var groups = ValidateKind(ObjectKind.Group, "groups", "removeGroups", configuration.Groups, configuration.RemoveGroups);
        return new MappingValidationResult(errors, errors.Count == 0 ? new CompiledJobMappings(job, users, groups) : null);

        CompiledObjectMappings ValidateKind(ObjectKind kind, string listName, string removeName,
            IReadOnlyList<AttributeMapping> entries, IReadOnlyList<string> removals)
        {
            var listPath = $"{prefix}.{listName}";
            var defaultsForKind = configuration.ReplaceDefaults ? [] : defaults.For(kind);
            var compiledEntries = new Dictionary<AttributeMapping, CompiledMapping>(ReferenceEqualityComparer.Instance);

            for (var i = 0; i < removals.Count; i++)
            {
                var target = MappingSet.Normalize(removals[i]);
                if (!defaultsForKind.Any(m => string.Equals(MappingSet.Normalize(m.Target), target, StringComparison.OrdinalIgnoreCase)))
                {
                    var nearest = NameSuggestion.Nearest(target, defaultsForKind.Select(m => m.Target));
                    errors.Add(new($"{prefix}.{removeName}[{i}]", job, target, null, $"there is no default {listName[..^1]} mapping to '{target}' to remove",
                        nearest is not null ? $"Did you mean '{nearest}'?" : $"The defaults of '{profile}' are: {string.Join(", ", defaultsForKind.Select(m => m.Target))}."));
                }
            }

            var seenTargets = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < entries.Count; i++)
            {
                var entryPath = $"{listPath}[{i}]";
                var compiled = Compile(kind, entries[i], entryPath, job, errors);
                if (compiled is not null)
                {
                    compiledEntries[entries[i]] = compiled;
                    if (seenTargets.TryGetValue(compiled.Target.Text, out var first))
                    {
                        errors.Add(new($"{entryPath}.target", job, compiled.Target.Text, null, $"the target is already mapped by {listPath}[{first}]",
                            "Map each target path once; use an expression such as Coalesce to combine sources."));
                    }
                    else
                    {
                        seenTargets[compiled.Target.Text] = i;
                    }
                }
            }

            var resolved = (kind == ObjectKind.User ? new MappingSet(defaultsForKind, []) : new MappingSet([], defaultsForKind))
                .Apply(new JobMappingsConfiguration
                {
                    Users = kind == ObjectKind.User ? entries : [],
                    Groups = kind == ObjectKind.Group ? entries : [],
                    RemoveUsers = kind == ObjectKind.User ? removals : [],
                    RemoveGroups = kind == ObjectKind.Group ? removals : [],
                })
                .For(kind);

            var compiledAll = new List<CompiledMapping>();
            foreach (var mapping in resolved)
            {
                var compiled = compiledEntries.GetValueOrDefault(mapping)
                    ?? (entries.Contains(mapping) ? null : Compile(kind, mapping, $"{listPath} (default '{mapping.Target}')", job, errors));
                if (compiled is not null)
                {
                    compiledAll.Add(compiled);
                }
            }

            var attributeMappings = compiledAll.Where(m => !m.Target.IsMembers).ToList();
            var matching = attributeMappings.Where(m => m.Definition.Matching).ToList();
            if (attributeMappings.Count > 0 && matching.Count == 0)
            {
                errors.Add(new(listPath, job, null, null, $"no {listName[..^1]} mapping is a matching attribute",
                    $"Set \"matching\": true on the mapping whose target the app can find {listName} by, e.g. {(kind == ObjectKind.User ? "userName" : "displayName")}."));
            }

            foreach (var clash in matching.GroupBy(m => m.MatchingPrecedence).Where(g => g.Count() > 1))
            {
                errors.Add(new(listPath, job, string.Join(", ", clash.Select(m => m.Target.Text)), null,
                    $"several matching attributes have precedence {clash.Key}",
                    "Give each matching mapping its own matchingPrecedence (1 is tried first)."));
            }

            return new CompiledObjectMappings(kind, compiledAll);
        }
    }

    private CompiledMapping? Compile(ObjectKind kind, AttributeMapping mapping, string path, JobId job, List<MappingValidationError> errors)
    {
        var errorCount = errors.Count;
        if (!TargetPath.TryParse(mapping.Target, out var target, out var targetProblem))
        {
            errors.Add(new($"{path}.target", job, mapping.Target, null, targetProblem!, null));
        }

        var targetText = target?.Text ?? mapping.Target;
        void Error(string field, string message, string? hint, int? position = null) =>
            errors.Add(new($"{path}.{field}", job, targetText, position, message, hint));

        ParsedExpression? expression = null;
        switch (mapping.Kind)
        {
            case MappingKind.Direct:
                if (string.IsNullOrWhiteSpace(mapping.Source))
                {
                    Error("source", "a direct mapping needs a source attribute", "Set \"source\" to a Graph attribute name such as \"givenName\".");
                }
                else
                {
                    CheckAttribute(mapping.Source.Trim(), null, "source");
                }

                break;
            case MappingKind.Expression:
                if (string.IsNullOrWhiteSpace(mapping.Expression))
                {
                    Error("expression", "an expression mapping needs an expression", "Set \"expression\", e.g. \"Coalesce([mail], [userPrincipalName])\".");
                    break;
                }

                if (!ExpressionParser.TryParse(mapping.Expression, out expression, out var syntaxError))
                {
                    Error("expression", syntaxError!.Problem, syntaxError.Hint, syntaxError.Position);
                    break;
                }

                foreach (var reference in expression!.AttributeReferences)
                {
                    CheckAttribute(reference.Name, reference.Position, "expression");
                }

                break;
            case MappingKind.Constant:
                if (mapping.Constant is null)
                {
                    Error("constant", "a constant mapping needs a constant", "Set \"constant\" to the text to send.");
                }

                break;
            default:
                Error("kind", $"'{mapping.Kind}' is not a mapping kind", "Use \"direct\", \"constant\" or \"expression\".");
                break;
        }

        if (target is not null && (target.IsMembers || string.Equals(mapping.Source?.Trim(), "members", StringComparison.OrdinalIgnoreCase)))
        {
            if (kind != ObjectKind.Group)
            {
                Error("target", "only groups have members", "Remove this mapping from the user mappings.");
            }
            else if (!target.IsMembers || mapping.Kind != MappingKind.Direct || !string.Equals(mapping.Source?.Trim(), "members", StringComparison.OrdinalIgnoreCase))
            {
                Error("target", "members can only be mapped directly from members", "Write { \"source\": \"members\", \"target\": \"members\" }, or remove it to stop provisioning memberships.");
            }
        }

        if (mapping.Matching && mapping.MatchingPrecedence is < 1)
        {
            Error("matchingPrecedence", "matching precedence starts at 1", "Use 1 for the attribute tried first, 2 for the next.");
        }

        if (target is { IsBoolean: true } && mapping.Kind == MappingKind.Constant && mapping.Constant is not null && !bool.TryParse(mapping.Constant, out _))
        {
            Error("constant", $"'{target.Text}' is a Boolean attribute but the constant is \"{mapping.Constant}\"", "Use \"True\" or \"False\".");
        }

        return errors.Count == errorCount ? new CompiledMapping(mapping, target!, expression) : null;

        void CheckAttribute(string name, int? position, string field)
        {
            if (catalog.IsKnown(kind, name))
            {
                return;
            }

            var suggestion = catalog.Suggest(kind, name);
            Error(field, $"'{name}' is not a known {kind.ToString().ToLowerInvariant()} source attribute",
                suggestion is not null
                    ? $"Did you mean '{suggestion}'?"
                    : "Use a Microsoft Graph attribute name, a directory extension (extension_<appId>_<name>) or IsSoftDeleted.",
                position);
        }
    }
}
