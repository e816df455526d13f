namespace ScimSync.Core.Mapping.Expressions;

/// <summary>
/// Parses Entra-style mapping expressions into a tree. Grammar:
/// <code>
/// expression := operand [ comparison-operator operand ]
/// operand    := "text" | number | &amp;Hhex | [attribute] | constant | Function( [argument {, argument}] )
/// argument   := expression | (empty)
/// </code>
/// Function names are checked against <see cref="ExpressionFunctions"/> with their argument counts. Any problem with
/// the text raises <see cref="ExpressionSyntaxException"/>, and nothing else.
/// </summary>
public static class ExpressionParser
{
    /// <summary>The longest expression Entra accepts, and so do we.</summary>
    public const int MaxLength = 10_000;

    /// <summary>How deep calls may nest; deeper is never meaningful and would exhaust the stack.</summary>
    public const int MaxNesting = 64;

    private static readonly Dictionary<string, ExpressionValue> Constants = new(StringComparer.Ordinal)
    {
        ["vbBinaryCompare"] = ExpressionValue.FromNumber(0),
        ["vbTextCompare"] = ExpressionValue.FromNumber(1),
        ["True"] = ExpressionValue.True,
        ["False"] = ExpressionValue.False,
    };

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="ExpressionSyntaxException">The text is not a valid expression.</exception>
    public static ParsedExpression Parse(string text)
    {
        if (text is null || text.Trim().Length == 0)
        {
            throw new ExpressionSyntaxException(1, "the expression is empty", "Write a value such as [mail] or Coalesce([mail], [userPrincipalName]).");
        }

        if (text.Length > MaxLength)
        {
            throw new ExpressionSyntaxException(MaxLength + 1, $"the expression is {text.Length:N0} characters long; the limit is {MaxLength:N0}",
                "Split the logic over several mappings or simplify it.");
        }

        var parser = new Parser(ExpressionTokenizer.Tokenize(text));
        var root = parser.ParseExpression(0);
        parser.ExpectEnd();
        return new ParsedExpression(text, root);
    }

    /// <summary>Parses <paramref name="text"/>, returning the error instead of raising it.</summary>
    public static bool TryParse(string text, out ParsedExpression? expression, out ExpressionSyntaxException? error)
    {
        try
        {
            expression = Parse(text);
            error = null;
            return true;
        }
        catch (ExpressionSyntaxException e)
        {
            expression = null;
            error = e;
            return false;
        }
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _index;

        private Token Current => tokens[_index];

        public ExpressionNode ParseExpression(int depth)
        {
            var left = ParseOperand(depth);
            if (Current.Kind != TokenKind.Operator)
            {
                return left;
            }

            var op = Current;
            _index++;
            var right = ParseOperand(depth);
            if (Current.Kind == TokenKind.Operator)
            {
                throw new ExpressionSyntaxException(Current.Position, $"a second comparison operator '{Current.Text}' follows a comparison",
                    "Comparisons cannot be chained and there is no AND/OR; nest IIF calls instead, e.g. IIF([a]=\"x\", IIF([b]=\"y\", \"both\", \"a only\"), \"neither\").");
            }

            return new ComparisonNode(left.Position, op.Text, left, right);
        }

        public void ExpectEnd()
        {
            if (Current.Kind != TokenKind.End)
            {
                throw Current.Kind == TokenKind.CloseParen
                    ? new ExpressionSyntaxException(Current.Position, "there is a ')' without a matching '('", "Remove it or add the missing function call.")
                    : new ExpressionSyntaxException(Current.Position, $"unexpected {Describe(Current)} after the end of the expression",
                        "An expression is one value or one function call; combine values with a function such as Join or Append.");
            }
        }

        private ExpressionNode ParseOperand(int depth)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Text:
                    _index++;
                    return new LiteralNode(token.Position, ExpressionValue.FromString(token.Text));
                case TokenKind.Number:
                    _index++;
                    return new LiteralNode(token.Position, ExpressionValue.FromNumber(token.Number));
                case TokenKind.Attribute:
                    _index++;
                    return new AttributeNode(token.Position, token.Text);
                case TokenKind.Identifier:
                    _index++;
                    return Current.Kind == TokenKind.OpenParen ? ParseCall(token, depth) : ParseConstant(token);
                case TokenKind.End:
                    throw new ExpressionSyntaxException(token.Position, "the expression ends where a value was expected",
                        "Complete the expression, e.g. close every function call with ')'.");
                case TokenKind.OpenParen:
                    throw new ExpressionSyntaxException(token.Position, "unexpected '('",
                        "Parentheses only follow a function name; there is no grouping with parentheses.");
                default:
                    throw new ExpressionSyntaxException(token.Position, $"unexpected {Describe(token)} where a value was expected",
                        "A value is \"text\", a number, an [attribute] or a function call.");
            }
        }

        private CallNode ParseCall(Token name, int depth)
        {
            if (depth >= MaxNesting)
            {
                throw new ExpressionSyntaxException(name.Position, $"function calls are nested more than {MaxNesting} deep",
                    "Simplify the expression or split it over several mappings.");
            }

            var function = ExpressionFunctions.Find(name.Text)
                ?? throw new ExpressionSyntaxException(name.Position, $"unknown function '{name.Text}'", ExpressionFunctions.SuggestFor(name.Text));

            _index++; // '('
            var arguments = new List<ExpressionNode>();
            if (Current.Kind == TokenKind.CloseParen)
            {
                _index++;
            }
            else
            {
                while (true)
                {
                    arguments.Add(Current.Kind is TokenKind.Comma or TokenKind.CloseParen
                        ? new OmittedNode(Current.Position)
                        : ParseExpression(depth + 1));

                    if (Current.Kind == TokenKind.Comma)
                    {
                        _index++;
                        continue;
                    }

                    if (Current.Kind == TokenKind.CloseParen)
                    {
                        _index++;
                        break;
                    }

                    throw Current.Kind == TokenKind.End
                        ? new ExpressionSyntaxException(name.Position, $"the call to {name.Text} is not closed", $"Add ')' at the end; {function.Signature}.")
                        : new ExpressionSyntaxException(Current.Position, $"unexpected {Describe(Current)} in the arguments of {name.Text}",
                            IsAndOr(Current)
                                ? "There is no AND/OR; nest IIF calls instead, e.g. IIF([a]=\"x\", IIF([b]=\"y\", \"both\", \"a only\"), \"neither\")."
                                : "Separate arguments with commas.");
                }
            }

            var countProblem = function.CheckArgumentCount(arguments.Count);
            if (countProblem is not null)
            {
                throw new ExpressionSyntaxException(name.Position, countProblem, $"Write it as {function.Signature}.");
            }

            return new CallNode(name.Position, function, arguments);
        }

        private static LiteralNode ParseConstant(Token token)
        {
            if (Constants.TryGetValue(token.Text, out var value))
            {
                return new LiteralNode(token.Position, value);
            }

            var hint = ExpressionFunctions.Find(token.Text) is not null
                ? $"'{token.Text}' is a function: call it with parentheses, e.g. {token.Text}(…)."
                : $"Write source attributes in brackets ([{token.Text}]) and text in double quotes (\"{token.Text}\").";
            throw new ExpressionSyntaxException(token.Position, $"unknown name '{token.Text}'", hint);
        }

        private static bool IsAndOr(Token token) => token.Kind == TokenKind.Identifier
            && (token.Text.Equals("AND", StringComparison.OrdinalIgnoreCase) || token.Text.Equals("OR", StringComparison.OrdinalIgnoreCase));

        private static string Describe(Token token) => token.Kind switch
        {
            TokenKind.Text => $"text \"{ExpressionTokenizer.Printable(token.Text)}\"",
            TokenKind.Attribute => $"attribute [{token.Text}]",
            TokenKind.Number => $"number {token.Text}",
            TokenKind.Identifier => $"name '{token.Text}'",
            TokenKind.Comma => "','",
            TokenKind.CloseParen => "')'",
            TokenKind.OpenParen => "'('",
            TokenKind.Operator => $"operator '{token.Text}'",
            _ => "end of the expression",
        };
    }
}
