namespace ScimSync.Core.Scoping;

/// <summary>The operators of an Entra scoping filter clause.</summary>
public enum ScopingOperator
{
    Equals,
    NotEquals,
    IsTrue,
    IsFalse,
    IsNull,
    IsNotNull,
    RegexMatch,
    NotRegexMatch,
    GreaterThan,
    GreaterThanOrEquals,
    Includes,
    EndsWith,
    BitwiseAnd,
    NotBitwiseAnd,
}

/// <summary>Reads operator names as Entra writes them (<c>NOT EQUALS</c>, <c>Greater_Than</c>, <c>&amp;</c>, ...).</summary>
public static class ScopingOperatorNames
{
    private static readonly Dictionary<string, ScopingOperator> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["EQUALS"] = ScopingOperator.Equals,
        ["NOT EQUALS"] = ScopingOperator.NotEquals,
        ["IS TRUE"] = ScopingOperator.IsTrue,
        ["IS FALSE"] = ScopingOperator.IsFalse,
        ["IS NULL"] = ScopingOperator.IsNull,
        ["IS NOT NULL"] = ScopingOperator.IsNotNull,
        ["REGEX MATCH"] = ScopingOperator.RegexMatch,
        ["NOT REGEX MATCH"] = ScopingOperator.NotRegexMatch,
        ["GREATER THAN"] = ScopingOperator.GreaterThan,
        ["GREATER THAN OR EQUALS"] = ScopingOperator.GreaterThanOrEquals,
        ["INCLUDES"] = ScopingOperator.Includes,
        ["ENDS WITH"] = ScopingOperator.EndsWith,
        ["&"] = ScopingOperator.BitwiseAnd,
        ["!&"] = ScopingOperator.NotBitwiseAnd,
    };

    /// <summary>The names accepted in a job file, for error messages.</summary>
    public static string Accepted => "EQUALS, NOT EQUALS, IS TRUE, IS FALSE, IS NULL, IS NOT NULL, REGEX MATCH, NOT REGEX MATCH, " +
        "Greater_Than, Greater_Than_OR_EQUALS, Includes, ENDS_WITH, &, !&";

    /// <summary>Parses an operator name; underscores and spaces are interchangeable and case does not matter.</summary>
    public static bool TryParse(string? name, out ScopingOperator op)
    {
        op = default;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }
        var normalized = string.Join(' ', name.Replace('_', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return ByName.TryGetValue(normalized, out op);
    }

    /// <summary>The operator as Entra's portal writes it, for explanations.</summary>
    public static string Display(ScopingOperator op) => op switch
    {
        ScopingOperator.Equals => "EQUALS",
        ScopingOperator.NotEquals => "NOT EQUALS",
        ScopingOperator.IsTrue => "IS TRUE",
        ScopingOperator.IsFalse => "IS FALSE",
        ScopingOperator.IsNull => "IS NULL",
        ScopingOperator.IsNotNull => "IS NOT NULL",
        ScopingOperator.RegexMatch => "REGEX MATCH",
        ScopingOperator.NotRegexMatch => "NOT REGEX MATCH",
        ScopingOperator.GreaterThan => "Greater_Than",
        ScopingOperator.GreaterThanOrEquals => "Greater_Than_OR_EQUALS",
        ScopingOperator.Includes => "Includes",
        ScopingOperator.EndsWith => "ENDS_WITH",
        ScopingOperator.BitwiseAnd => "&",
        ScopingOperator.NotBitwiseAnd => "!&",
        _ => op.ToString(),
    };

    /// <summary>True for operators that compare against a value given in the clause.</summary>
    public static bool NeedsValue(ScopingOperator op) => op is not (ScopingOperator.IsTrue or ScopingOperator.IsFalse
        or ScopingOperator.IsNull or ScopingOperator.IsNotNull);
}
