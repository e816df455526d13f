namespace ScimSync.Core.Mapping.Expressions;

/// <summary>A function of the expression language: its name, how many arguments it takes, and what it does.</summary>
public sealed class ExpressionFunction
{
    private readonly Func<CallArguments, ExpressionValue> _implementation;
    private readonly bool _evenArgumentCount;

    internal ExpressionFunction(string name, int minArguments, int maxArguments, string signature,
        Func<CallArguments, ExpressionValue> implementation, bool evenArgumentCount = false)
    {
        Name = name;
        MinArguments = minArguments;
        MaxArguments = maxArguments;
        Signature = signature;
        _implementation = implementation;
        _evenArgumentCount = evenArgumentCount;
    }

    /// <summary>The name, case-sensitive as in Entra.</summary>
    public string Name { get; }

    public int MinArguments { get; }

    /// <summary>The most arguments the function takes; <see cref="int.MaxValue"/> when unbounded.</summary>
    public int MaxArguments { get; }

    /// <summary>How a call reads, e.g. <c>Left(source, numChars)</c>; shown in argument-count errors.</summary>
    public string Signature { get; }

    /// <summary>Why <paramref name="count"/> arguments are wrong for this function, or null when they are fine.</summary>
    public string? CheckArgumentCount(int count)
    {
        if (count < MinArguments || count > MaxArguments)
        {
            var expected = MinArguments == MaxArguments ? $"{MinArguments}"
                : MaxArguments == int.MaxValue ? $"at least {MinArguments}"
                : $"{MinArguments} to {MaxArguments}";
            return $"{Name} takes {expected} argument{(expected == "1" ? "" : "s")} but was given {count}";
        }

        return _evenArgumentCount && count % 2 != 0 ? $"{Name} takes an even number of arguments but was given {count}" : null;
    }

    internal ExpressionValue Invoke(CallArguments arguments) => _implementation(arguments);
}
