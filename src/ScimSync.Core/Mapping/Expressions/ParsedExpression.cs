using ScimSync.Core.Directory;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>A parsed expression, ready to evaluate against any number of source objects.</summary>
public sealed class ParsedExpression
{
    internal ParsedExpression(string text, ExpressionNode root)
    {
        Text = text;
        Root = root;
        AttributeReferences = root.DescendantsAndSelf().OfType<AttributeNode>().ToList();
        FunctionsCalled = root.DescendantsAndSelf().OfType<CallNode>().Select(c => c.Function.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    public ExpressionNode Root { get; }

    /// <summary>Every <c>[attribute]</c> reference, with its position.</summary>
    public IReadOnlyList<AttributeNode> AttributeReferences { get; }

    /// <summary>The names of the functions the expression calls.</summary>
    public IReadOnlySet<string> FunctionsCalled { get; }

    /// <summary>Evaluates the expression for one source object.</summary>
    /// <exception cref="ExpressionEvaluationException">A function could not handle this object's values.</exception>
    public ExpressionValue Evaluate(SourceObject source, TimeProvider timeProvider) =>
        Root.Evaluate(new EvaluationContext(source, timeProvider));

    public override string ToString() => Text;
}
