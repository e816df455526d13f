namespace ScimSync.Core.Mapping.Expressions;

/// <summary>A node of a parsed expression.</summary>
public abstract class ExpressionNode(int position)
{
    /// <summary>1-based position of the node's first character in the expression text.</summary>
    public int Position { get; } = position;

    internal abstract ExpressionValue Evaluate(EvaluationContext context);

    /// <summary>The nodes directly below this one.</summary>
    public virtual IEnumerable<ExpressionNode> Children => [];

    /// <summary>This node and every node below it, depth first.</summary>
    public IEnumerable<ExpressionNode> DescendantsAndSelf()
    {
        var stack = new Stack<ExpressionNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            foreach (var child in node.Children.Reverse())
            {
                stack.Push(child);
            }
        }
    }
}

/// <summary>A text, number or named constant (<c>vbTextCompare</c>, <c>True</c>) written in the expression.</summary>
public sealed class LiteralNode(int position, ExpressionValue value) : ExpressionNode(position)
{
    public ExpressionValue Value { get; } = value;

    internal override ExpressionValue Evaluate(EvaluationContext context) => Value;
}

/// <summary>A source attribute reference, <c>[name]</c>.</summary>
public sealed class AttributeNode(int position, string name) : ExpressionNode(position)
{
    public string Name { get; } = name;

    internal override ExpressionValue Evaluate(EvaluationContext context) => context.GetAttribute(Name);
}

/// <summary>An argument left empty, as in <c>Replace([a], "x", , , "y", , )</c>.</summary>
public sealed class OmittedNode(int position) : ExpressionNode(position)
{
    internal override ExpressionValue Evaluate(EvaluationContext context) => ExpressionValue.Null;
}

/// <summary>A function call with its arguments.</summary>
public sealed class CallNode(int position, ExpressionFunction function, IReadOnlyList<ExpressionNode> arguments) : ExpressionNode(position)
{
    public ExpressionFunction Function { get; } = function;

    public IReadOnlyList<ExpressionNode> Arguments { get; } = arguments;

    public override IEnumerable<ExpressionNode> Children => Arguments;

    internal override ExpressionValue Evaluate(EvaluationContext context) => Function.Invoke(new CallArguments(this, context));
}

/// <summary>A comparison <c>a = b</c>, <c>a &lt;&gt; b</c>, <c>a &lt; b</c> … (IIF conditions, CBool).</summary>
public sealed class ComparisonNode(int position, string @operator, ExpressionNode left, ExpressionNode right) : ExpressionNode(position)
{
    public string Operator { get; } = @operator;

    public ExpressionNode Left { get; } = left;

    public ExpressionNode Right { get; } = right;

    public override IEnumerable<ExpressionNode> Children => [Left, Right];

    internal override ExpressionValue Evaluate(EvaluationContext context) =>
        ExpressionValue.FromBoolean(ValueComparison.Compare(Operator, Left.Evaluate(context), Right.Evaluate(context)));
}
