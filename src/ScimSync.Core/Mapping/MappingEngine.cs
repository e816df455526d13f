using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Mapping.Expressions;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Mapping;

/// <summary>
/// Computes the SCIM attributes a source object maps to with a job's mappings. Pure apart from the clock (Now,
/// DateAdd) and the random functions (Guid, RandomString); never throws for bad data: a mapping that cannot be
/// evaluated fails the object with a readable reason.
/// </summary>
public sealed class MappingEngine(TimeProvider timeProvider)
{
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();
    private static readonly IReadOnlySet<string> EmptySet = System.Collections.Frozen.FrozenSet<string>.Empty;

    /// <summary>Maps one object.</summary>
    /// <param name="source">The source object, with computed attributes such as IsSoftDeleted already added.</param>
    /// <param name="mappings">The job's compiled mappings; the object's kind picks user or group mappings.</param>
    /// <param name="isCreate">True when the object will be created in the target: onCreate mappings and default values apply.</param>
    public MappingResult Map(SourceObject source, CompiledJobMappings mappings, bool isCreate) =>
        Run(source, mappings.For(source.Kind), isCreate, entries: null);

    /// <summary>Maps one object and explains, per target path, which mapping produced which value.</summary>
    public MappingPreview Preview(SourceObject source, CompiledJobMappings mappings, bool isCreate)
    {
        var entries = new List<MappingPreviewEntry>();
        var objectMappings = mappings.For(source.Kind);
        var result = Run(source, objectMappings, isCreate, entries);
        return new MappingPreview(result, entries, objectMappings.ProvisionsMembers);
    }

    private MappingResult Run(SourceObject source, CompiledObjectMappings mappings, bool isCreate, List<MappingPreviewEntry>? entries)
    {
        var attributes = new List<KeyValuePair<string, JsonElement>>(mappings.Mappings.Count);
        List<MatchingValue>? matching = null;
        HashSet<string>? redacted = null;
        List<MappingFailure>? failures = null;
        HashSet<string>? cleaned = null;

        foreach (var mapping in mappings.Mappings)
        {
            var definition = mapping.Definition;
            var (outcome, json, reason) = Evaluate(source, mapping, isCreate);
            if (json is { } produced && InvisibleCharacters.RemoveFrom(produced) is { } visible)
            {
                json = visible;
                (cleaned ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(mapping.Target.Text);
            }

            if (outcome == MappingOutcome.Failed)
            {
                (failures ??= []).Add(new MappingFailure(mapping.Target.Text, definition.SourceText, reason!));
            }
            else if (outcome is MappingOutcome.Sent or MappingOutcome.DefaultApplied or MappingOutcome.Cleared)
            {
                attributes.Add(KeyValuePair.Create(mapping.Target.Text, json!.Value));
            }

            if (mapping.IsRedacted)
            {
                (redacted ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(mapping.Target.Text);
            }

            if (definition.Matching && json is { ValueKind: not JsonValueKind.Null } matchValue)
            {
                (matching ??= []).Add(new MatchingValue(mapping.MatchingPrecedence, mapping.Target.Text, matchValue));
            }

            entries?.Add(new MappingPreviewEntry(mapping.Target.Text, definition.Kind, definition.SourceText, outcome,
                outcome is MappingOutcome.NotSent or MappingOutcome.Failed ? null : json, mapping.IsRedacted, definition.Matching, reason));
        }

        return new MappingResult(
            source.Id,
            source.Kind,
            ScimAttributes.From(attributes),
            matching is null ? [] : matching.OrderBy(m => m.Precedence).ToList(),
            redacted ?? EmptySet,
            failures ?? (IReadOnlyList<MappingFailure>)[])
        {
            InvisibleCharactersRemoved = cleaned ?? EmptySet,
        };
    }

    // Most mappings copy one scalar attribute; its JSON value is already what SCIM wants, so it is sent as is
    // instead of being converted to an expression value and written back.
    private static JsonElement? DirectPassThrough(SourceObject source, CompiledMapping mapping)
    {
        if (!source.Attributes.TryGetValue(mapping.Definition.Source!, out var element))
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.String when !element.ValueEquals(string.Empty) && !mapping.Target.IsBoolean => element,
            JsonValueKind.Number when !mapping.Target.IsBoolean => element,
            JsonValueKind.True or JsonValueKind.False => element,
            _ => null,
        };
    }

    private (MappingOutcome Outcome, JsonElement? Json, string? Reason) Evaluate(SourceObject source, CompiledMapping mapping, bool isCreate)
    {
        var definition = mapping.Definition;
        if (definition.Kind == MappingKind.Direct && DirectPassThrough(source, mapping) is { } passThrough)
        {
            return (definition.Apply == MappingApply.OnCreate && !isCreate ? MappingOutcome.SkippedOnUpdate : MappingOutcome.Sent, passThrough, null);
        }

        ExpressionValue value;
        try
        {
            value = definition.Kind switch
            {
                MappingKind.Direct => EvaluationContext.ReadAttribute(source, definition.Source!),
                MappingKind.Constant => ExpressionValue.FromString(definition.Constant),
                _ => mapping.Expression!.Evaluate(source, timeProvider),
            };
        }
        catch (ExpressionEvaluationException e)
        {
            return (MappingOutcome.Failed, null, e.Message);
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentException or FormatException or InvalidOperationException)
        {
            // A function met a value outside what it handles (an overflow, say): fail this object, not the cycle.
            return (MappingOutcome.Failed, null, $"the expression could not be evaluated for this object: {e.Message}");
        }

        var skipped = definition.Apply == MappingApply.OnCreate && !isCreate;
        var outcome = skipped ? MappingOutcome.SkippedOnUpdate : MappingOutcome.Sent;
        if (value.IsNullOrEmpty)
        {
            if (mapping.IgnoresFlowWhenEmpty)
            {
                return (MappingOutcome.NotSent, null, "IgnoreFlowIfNullOrEmpty: the value is empty");
            }

            if (isCreate && definition.DefaultValue is not null)
            {
                value = ExpressionValue.FromString(definition.DefaultValue);
                outcome = MappingOutcome.DefaultApplied;
            }
            else if (definition.ClearWhenNull && !skipped)
            {
                return (MappingOutcome.Cleared, JsonNull, null);
            }
            else
            {
                return (MappingOutcome.NotSent, null, "the value is empty; Entra-compatible mappings do not send nulls");
            }
        }

        var json = ScimValueConverter.Convert(value, mapping.Target, out var problem);
        return problem is not null ? (MappingOutcome.Failed, null, problem) : (outcome, json, null);
    }
}
