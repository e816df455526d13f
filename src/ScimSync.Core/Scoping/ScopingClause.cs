using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScimSync.Core.Directory;

namespace ScimSync.Core.Scoping;

/// <summary>
/// A validated clause, ready to evaluate. String comparisons are ordinal and case-sensitive, as Entra documents
/// for EQUALS, NOT EQUALS and Includes; ENDS_WITH follows them (Entra does not state its case rule). A null, absent
/// or empty attribute fails every operator except IS NULL and IS NOT NULL (Entra: "Scoping filters will return
/// 'false' if the value is null / empty"; NOT REGEX MATCH is documented the same way).
/// </summary>
public sealed class ScopingClause
{
    private readonly Regex? _regex;
    private readonly long _integer;

    private ScopingClause(string path, string attribute, ScopingOperator op, string? value, Regex? regex, long integer)
    {
        Path = path;
        Attribute = attribute;
        Operator = op;
        Value = value;
        _regex = regex;
        _integer = integer;
    }

    /// <summary>Where the clause sits in the job file, e.g. <c>jobs[0].scope.filters[1].clauses[0]</c>.</summary>
    public string Path { get; }

    public string Attribute { get; }

    public ScopingOperator Operator { get; }

    public string? Value { get; }

    /// <summary>Validates a clause definition; returns the clause, or null with the errors added to <paramref name="errors"/>.</summary>
    public static ScopingClause? Compile(ScopingClauseDefinition definition, string path, TimeSpan regexTimeout, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(definition.Attribute))
        {
            errors.Add($"{path}.attribute: a clause needs the source attribute to test, e.g. \"department\"");
            return null;
        }
        if (!ScopingOperatorNames.TryParse(definition.Operator, out var op))
        {
            errors.Add($"{path}.operator: unknown operator \"{definition.Operator}\"; use one of {ScopingOperatorNames.Accepted}");
            return null;
        }
        if (ScopingOperatorNames.NeedsValue(op) && string.IsNullOrEmpty(definition.Value))
        {
            errors.Add($"{path}.value: the operator {ScopingOperatorNames.Display(op)} needs a value");
            return null;
        }

        Regex? regex = null;
        long integer = 0;
        switch (op)
        {
            case ScopingOperator.RegexMatch or ScopingOperator.NotRegexMatch:
                try
                {
                    regex = new Regex(definition.Value!, RegexOptions.CultureInvariant, regexTimeout);
                }
                catch (ArgumentException ex)
                {
                    errors.Add($"{path}: invalid regex \"{definition.Value}\": {ex.Message}");
                    return null;
                }
                break;
            case ScopingOperator.GreaterThan or ScopingOperator.GreaterThanOrEquals
                or ScopingOperator.BitwiseAnd or ScopingOperator.NotBitwiseAnd:
                if (!long.TryParse(definition.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integer))
                {
                    errors.Add($"{path}.value: {ScopingOperatorNames.Display(op)} compares integers, and \"{definition.Value}\" is not one");
                    return null;
                }
                break;
        }
        return new ScopingClause(path, definition.Attribute.Trim(), op, definition.Value, regex, integer);
    }

    /// <summary>Evaluates the clause against an object and says what it saw.</summary>
    public ClauseResult Evaluate(SourceObject source)
    {
        var raw = source.Get(Attribute);
        var actual = raw is { } element ? Render(element) : null;
        var empty = string.IsNullOrEmpty(actual);

        bool passed = Operator switch
        {
            ScopingOperator.IsNull => empty,
            ScopingOperator.IsNotNull => !empty,
            _ when empty => false,
            _ when raw!.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object => false,
            ScopingOperator.Equals => string.Equals(actual, Value, StringComparison.Ordinal),
            ScopingOperator.NotEquals => !string.Equals(actual, Value, StringComparison.Ordinal),
            ScopingOperator.Includes => actual!.Contains(Value!, StringComparison.Ordinal),
            ScopingOperator.EndsWith => actual!.EndsWith(Value!, StringComparison.Ordinal),
            ScopingOperator.IsTrue => IsBoolean(raw!.Value, true),
            ScopingOperator.IsFalse => IsBoolean(raw!.Value, false),
            ScopingOperator.RegexMatch => Match(actual!),
            ScopingOperator.NotRegexMatch => !Match(actual!),
            ScopingOperator.GreaterThan => AsInteger(raw!.Value) is { } n && n > _integer,
            ScopingOperator.GreaterThanOrEquals => AsInteger(raw!.Value) is { } n && n >= _integer,
            ScopingOperator.BitwiseAnd => AsInteger(raw!.Value) is { } n && (n & _integer) == _integer,
            ScopingOperator.NotBitwiseAnd => AsInteger(raw!.Value) is { } n && (n & _integer) != _integer,
            _ => false,
        };
        return new ClauseResult(Path, Attribute, ScopingOperatorNames.Display(Operator), Value, actual, passed);
    }

    private bool Match(string actual)
    {
        try
        {
            return _regex!.IsMatch(actual);
        }
        catch (RegexMatchTimeoutException ex)
        {
            // Out of scope would deprovision the object; failing loudly keeps it where it is until the regex is fixed.
            throw new ScopeEvaluationException(
                $"{Path}: the regex \"{Value}\" took longer than {ex.MatchTimeout.TotalMilliseconds} ms on attribute {Attribute}; simplify it", ex);
        }
    }

    private static bool IsBoolean(JsonElement value, bool expected) => value.ValueKind switch
    {
        JsonValueKind.True => expected,
        JsonValueKind.False => !expected,
        JsonValueKind.String => bool.TryParse(value.GetString(), out var parsed) && parsed == expected,
        _ => false,
    };

    private static long? AsInteger(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => value.GetRawText(),
    };
}

/// <summary>The outcome of one clause: what was tested and the value the object had (null when null or absent).</summary>
public sealed record ClauseResult(string Path, string Attribute, string Operator, string? Expected, string? Actual, bool Passed)
{
    public override string ToString() =>
        $"{Attribute} {Operator}{(Expected is null ? "" : $" \"{Expected}\"")} (value {(Actual is null ? "null" : $"\"{Actual}\"")}): {(Passed ? "true" : "false")}";
}
