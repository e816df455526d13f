namespace ScimSync.Core.Mapping.Expressions;

/// <summary>
/// The one error the expression parser raises, for any input: what is wrong, where (1-based character position),
/// and a hint how to fix it.
/// </summary>
public sealed class ExpressionSyntaxException : Exception
{
    public ExpressionSyntaxException(int position, string problem, string? hint = null)
        : base(hint is null ? $"position {position}: {problem}" : $"position {position}: {problem}. {hint}")
    {
        Position = position;
        Problem = problem;
        Hint = hint;
    }

    /// <summary>The 1-based character position in the expression text where the problem starts.</summary>
    public int Position { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }

    /// <summary>How to fix it, or null when the problem says it all.</summary>
    public string? Hint { get; }
}
