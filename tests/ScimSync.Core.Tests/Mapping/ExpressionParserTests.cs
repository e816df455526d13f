using ScimSync.Core.Mapping.Expressions;
using static ScimSync.Core.Tests.Mapping.MappingTestData;

namespace ScimSync.Core.Tests.Mapping;

public sealed class ExpressionParserTests
{
    private static ExpressionSyntaxException Error(string expression) =>
        Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(expression));

    [Theory]
    [InlineData("Coalese([mail], [userPrincipalName])", 1, "unknown function 'Coalese'", "Did you mean 'Coalesce'?")]
    [InlineData("coalesce([mail])", 1, "unknown function 'coalesce'", "case-sensitive: did you mean 'Coalesce'?")]
    [InlineData("Join(\" \", Lfet([givenName], 1))", 11, "unknown function 'Lfet'", "Did you mean 'Left'?")]
    [InlineData("Join(\" \", [givenName]", 1, "the call to Join is not closed", "Add ')'")]
    [InlineData("Left([mail], 3))", 16, "there is a ')' without a matching '('", null)]
    [InlineData("\"abc", 1, "the text literal is not closed", "\\\"")]
    [InlineData("Append([mail, \"x\")", 8, "the attribute reference is not closed", "[mail]")]
    [InlineData("[]", 1, "the attribute reference is empty", null)]
    [InlineData("IIF([a]=\"x\" AND [b]=\"y\", 1, 2)", 13, "unexpected name 'AND' in the arguments of IIF", "nest IIF")]
    [InlineData("[a] = [b] = [c]", 11, "a second comparison operator '='", "no AND/OR")]
    [InlineData("Left(\"x\")", 1, "Left takes 2 arguments but was given 1", "Left(string, numChars)")]
    [InlineData("Guid(1)", 1, "Guid takes 0 arguments but was given 1", null)]
    [InlineData("Switch([a], \"d\", \"k\")", 1, "Switch takes at least 4 arguments but was given 3", null)]
    [InlineData("Switch([a], \"d\", \"k\", \"v\", \"k2\")", 1, "Switch takes an even number of arguments but was given 5", null)]
    [InlineData("Replace([a], \"x\", \"y\")", 1, "Replace takes 7 arguments but was given 3", "left empty")]
    [InlineData("Left([mail] 3)", 13, "unexpected number 3 in the arguments of Left", "commas")]
    [InlineData("Guid", 1, "unknown name 'Guid'", "call it with parentheses")]
    [InlineData("mail", 1, "unknown name 'mail'", "[mail]")]
    [InlineData("Join(\",\", [a]) [b]", 16, "unexpected attribute [b] after the end of the expression", "Join or Append")]
    [InlineData("Left(@, 1)", 6, "unexpected character '@'", "[brackets]")]
    [InlineData("BitAnd(&HZZ, 1)", 8, "'&H' is not a hexadecimal number", "&HF7")]
    [InlineData("(\"x\")", 1, "unexpected '('", "no grouping")]
    [InlineData("Not(", 5, "the expression ends where a value was expected", null)]
    [InlineData("   ", 1, "the expression is empty", null)]
    [InlineData("AppRoleAssignmentsComplex([appRoleAssignments])", 1, "unknown function 'AppRoleAssignmentsComplex'", "SingleAppRoleAssignment")]
    [InlineData("SelectUniqueValue([a], [b])", 1, "unknown function 'SelectUniqueValue'", "on-premises Active Directory")]
    public void Syntax_errors_give_the_position_and_a_hint(string expression, int position, string problem, string? hint)
    {
        var error = Error(expression);

        Assert.Equal(position, error.Position);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        if (hint is not null)
        {
            Assert.Contains(hint, error.Hint, StringComparison.Ordinal);
        }

        Assert.StartsWith($"position {position}: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"Company name: \\\"Contoso\\\"\"", "Company name: \"Contoso\"")]
    [InlineData("\"C:\\\\temp\"", "C:\\temp")]
    [InlineData("\"\\d+\"", "\\d+")]
    [InlineData("\"\"", "")]
    [InlineData("\"Zoë Åkesson 佐藤\"", "Zoë Åkesson 佐藤")]
    public void Text_literals_unescape_quotes_and_backslashes(string expression, string expected) => Assert.Equal(expected, Text(expression));

    [Theory]
    [InlineData("&HF7", 247)]
    [InlineData("&hff", 255)]
    [InlineData("-12", -12)]
    [InlineData("2.5", 2.5)]
    public void Numbers_parse_in_decimal_and_hexadecimal(string expression, double expected) =>
        Assert.Equal((decimal)expected, Evaluate(expression).NumberValue);

    [Fact]
    public void Attribute_references_are_recorded_with_their_positions()
    {
        var parsed = ExpressionParser.Parse("Join(\" \", [givenName], [ surname ])");

        Assert.Equal([("givenName", 11), ("surname", 24)], parsed.AttributeReferences.Select(a => (a.Name, a.Position)));
    }

    [Fact]
    public void Empty_arguments_are_allowed_where_Entra_allows_them()
    {
        var parsed = ExpressionParser.Parse("Replace([a], \"x\", , , \"y\", , )");

        var call = Assert.IsType<CallNode>(parsed.Root);
        Assert.Equal(7, call.Arguments.Count);
        Assert.IsType<OmittedNode>(call.Arguments[2]);
        Assert.IsType<OmittedNode>(call.Arguments[6]);
    }

    [Fact]
    public void An_expression_of_exactly_10000_characters_parses()
    {
        var expression = "\"" + new string('x', ExpressionParser.MaxLength - 2) + "\"";

        Assert.Equal(ExpressionParser.MaxLength - 2, Text(expression).Length);
    }

    [Fact]
    public void An_expression_over_10000_characters_is_rejected_with_the_limit_named()
    {
        var expression = "\"" + new string('x', ExpressionParser.MaxLength - 1) + "\"";

        var error = Error(expression);

        Assert.Contains("10,001 characters long; the limit is 10,000", error.Problem, StringComparison.Ordinal);
        Assert.Equal(ExpressionParser.MaxLength + 1, error.Position);
    }

    [Fact]
    public void Nesting_up_to_the_limit_parses_and_deeper_nesting_is_a_syntax_error()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("Not(", depth)) + "True" + new string(')', depth);

        Assert.True(Evaluate(Nested(ExpressionParser.MaxNesting)).BooleanValue);
        var error = Error(Nested(ExpressionParser.MaxNesting + 1));
        Assert.Contains("nested more than 64 deep", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Thousands_of_nested_calls_are_a_syntax_error_not_a_crash()
    {
        var depth = 3000;
        var expression = string.Concat(Enumerable.Repeat("Not(", depth)) + "True" + new string(')', depth);

        Error(expression);
    }

    [Fact]
    public void TryParse_returns_the_error_instead_of_throwing()
    {
        Assert.False(ExpressionParser.TryParse("Left(", out var parsed, out var error));
        Assert.Null(parsed);
        Assert.NotNull(error);
        Assert.True(ExpressionParser.TryParse("Left([mail], 1)", out parsed, out error));
        Assert.Null(error);
        Assert.Equal("Left([mail], 1)", parsed!.Text);
    }
}
