using ScimSync.Core.Directory;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>What an expression is evaluated against: one source object and the clock.</summary>
internal sealed class EvaluationContext(SourceObject source, TimeProvider timeProvider)
{
    public SourceObject Source { get; } = source;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ExpressionValue GetAttribute(string name) => ReadAttribute(Source, name);

    /// <summary>
    /// An attribute of the source object. <c>id</c> and Entra's name for it, <c>objectId</c>, fall back to the object's
    /// id when the attribute bag does not carry it.
    /// </summary>
    public static ExpressionValue ReadAttribute(SourceObject source, string name)
    {
        if (source.Attributes.TryGetValue(name, out var value))
        {
            return ExpressionValue.FromJson(value);
        }

        return string.Equals(name, "id", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "objectId", StringComparison.OrdinalIgnoreCase)
            ? ExpressionValue.FromString(source.Id.Value)
            : ExpressionValue.Null;
    }
}
