namespace ScimSync.Core.Mapping.Expressions;

/// <summary>
/// The arguments of one call, evaluated on demand so that IIF, Coalesce and Switch evaluate only what they use.
/// </summary>
public readonly struct CallArguments
{
    private readonly CallNode _call;
    private readonly EvaluationContext _context;

    internal CallArguments(CallNode call, EvaluationContext context)
    {
        _call = call;
        _context = context;
    }

    public int Count => _call.Arguments.Count;

    public string FunctionName => _call.Function.Name;

    public TimeProvider TimeProvider => _context.TimeProvider;

    /// <summary>True when the argument is missing or left empty.</summary>
    public bool IsOmitted(int index) => index >= Count || _call.Arguments[index] is OmittedNode;

    /// <summary>The evaluated argument, or null when it is missing or left empty.</summary>
    public ExpressionValue this[int index] => index < Count ? _call.Arguments[index].Evaluate(_context) : ExpressionValue.Null;

    internal ExpressionEvaluationException Error(string problem) => new($"{FunctionName}: {problem}");
}
