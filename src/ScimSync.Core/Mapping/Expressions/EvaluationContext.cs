using ScimSync.Core.Directory;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>What an expression is evaluated against: one source object and the clock.</summary>
internal sealed class EvaluationContext(SourceObject source, TimeProvider timeProvider)
{
    public SourceObject Source { get; } = source;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ExpressionValue GetAttribute(string name) =>
        Source.Attributes.TryGetValue(name, out var value) ? ExpressionValue.FromJson(value) : ExpressionValue.Null;
}
