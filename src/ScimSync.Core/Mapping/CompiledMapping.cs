using ScimSync.Core.Mapping.Expressions;

namespace ScimSync.Core.Mapping;

/// <summary>A validated mapping: its definition, parsed target path and parsed expression.</summary>
public sealed class CompiledMapping
{
    internal CompiledMapping(AttributeMapping definition, TargetPath target, ParsedExpression? expression)
    {
        Definition = definition;
        Target = target;
        Expression = expression;
        IsRedacted = expression?.FunctionsCalled.Contains(LogicFunctions.Redact) == true;
        IgnoresFlowWhenEmpty = expression?.Root is CallNode { Function.Name: LogicFunctions.IgnoreFlowIfNullOrEmpty };
        SourceAttributes = definition.Kind switch
        {
            MappingKind.Direct => [definition.Source!],
            MappingKind.Expression => expression!.AttributeReferences.Select(a => a.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            _ => [],
        };
    }

    public AttributeMapping Definition { get; }

    public TargetPath Target { get; }

    /// <summary>The parsed expression of an expression mapping, otherwise null.</summary>
    public ParsedExpression? Expression { get; }

    /// <summary>The expression calls Redact: logs and previews hide this target's value.</summary>
    public bool IsRedacted { get; }

    /// <summary>The expression is wrapped in IgnoreFlowIfNullOrEmpty: an empty result is never sent, defaulted or cleared.</summary>
    public bool IgnoresFlowWhenEmpty { get; }

    /// <summary>The source attributes the mapping reads.</summary>
    public IReadOnlyList<string> SourceAttributes { get; }

    /// <summary>The effective matching precedence (1 when the mapping does not give one).</summary>
    public int MatchingPrecedence => Definition.MatchingPrecedence ?? 1;
}
