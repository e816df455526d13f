using System.Globalization;
using System.Text;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>
/// Splits expression text into tokens: identifiers, <c>[attribute]</c> references, <c>"string"</c> literals (with
/// <c>\"</c> and <c>\\</c> escapes), numbers (decimal, or hexadecimal as <c>&amp;HF7</c>), parentheses, commas and the
/// comparison operators <c>= &lt;&gt; &lt; &lt;= &gt; &gt;=</c>.
/// </summary>
internal static class ExpressionTokenizer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, text.Length + 1, string.Empty));
                return tokens;
            }

            var start = i;
            var c = text[i];
            switch (c)
            {
                case '(':
                    tokens.Add(new Token(TokenKind.OpenParen, start + 1, "("));
                    i++;
                    break;
                case ')':
                    tokens.Add(new Token(TokenKind.CloseParen, start + 1, ")"));
                    i++;
                    break;
                case ',':
                    tokens.Add(new Token(TokenKind.Comma, start + 1, ","));
                    i++;
                    break;
                case '[':
                    tokens.Add(ReadAttribute(text, ref i));
                    break;
                case '"':
                    tokens.Add(ReadString(text, ref i));
                    break;
                case '=':
                    tokens.Add(new Token(TokenKind.Operator, start + 1, "="));
                    i++;
                    break;
                case '<':
                case '>':
                    i++;
                    if (i < text.Length && (text[i] == '=' || (c == '<' && text[i] == '>')))
                    {
                        i++;
                    }

                    tokens.Add(new Token(TokenKind.Operator, start + 1, text[start..i]));
                    break;
                case '&':
                    tokens.Add(ReadHex(text, ref i));
                    break;
                default:
                    if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                    {
                        tokens.Add(ReadNumber(text, ref i));
                    }
                    else if (char.IsLetter(c) || c == '_')
                    {
                        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                        {
                            i++;
                        }

                        tokens.Add(new Token(TokenKind.Identifier, start + 1, text[start..i]));
                    }
                    else
                    {
                        throw new ExpressionSyntaxException(start + 1, $"unexpected character '{Printable(c)}'",
                            "Attribute names go in [brackets] and text in \"double quotes\".");
                    }

                    break;
            }
        }
    }

    private static Token ReadAttribute(string text, ref int i)
    {
        var start = i;
        var close = text.IndexOf(']', i + 1);
        var nextOpen = text.IndexOf('[', i + 1);
        if (close < 0 || (nextOpen >= 0 && nextOpen < close))
        {
            throw new ExpressionSyntaxException(start + 1, "the attribute reference is not closed", "Close it with ']', e.g. [mail].");
        }

        var name = text.Substring(start + 1, close - start - 1).Trim();
        if (name.Length == 0)
        {
            throw new ExpressionSyntaxException(start + 1, "the attribute reference is empty", "Put a source attribute name between the brackets, e.g. [mail].");
        }

        if (name.Any(ch => ch == '"' || char.IsControl(ch)))
        {
            throw new ExpressionSyntaxException(start + 1, $"'{Printable(name)}' is not a valid attribute name",
                "Attribute names are plain names such as [givenName] or [extension_<appId>_costCenter].");
        }

        i = close + 1;
        return new Token(TokenKind.Attribute, start + 1, name);
    }

    private static Token ReadString(string text, ref int i)
    {
        var start = i;
        var builder = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                return new Token(TokenKind.Text, start + 1, builder.ToString());
            }

            // Entra escapes only the quote and the backslash; any other backslash stays, so regex patterns such
            // as "\d+" read as written.
            if (c == '\\' && i + 1 < text.Length && (text[i + 1] == '"' || text[i + 1] == '\\'))
            {
                builder.Append(text[i + 1]);
                i += 2;
                continue;
            }

            builder.Append(c);
            i++;
        }

        throw new ExpressionSyntaxException(start + 1, "the text literal is not closed",
            "End it with a double quote; write a quote inside text as \\\" and a backslash as \\\\.");
    }

    private static Token ReadHex(string text, ref int i)
    {
        var start = i;
        if (i + 1 >= text.Length || (text[i + 1] != 'H' && text[i + 1] != 'h'))
        {
            throw new ExpressionSyntaxException(start + 1, "unexpected character '&'",
                "Hexadecimal numbers are written &H followed by hex digits, e.g. &HF7.");
        }

        i += 2;
        var digitsStart = i;
        while (i < text.Length && char.IsAsciiHexDigit(text[i]))
        {
            i++;
        }

        var digits = text[digitsStart..i];
        if (digits.Length == 0 || !long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new ExpressionSyntaxException(start + 1, $"'{Printable(text[start..i])}' is not a hexadecimal number",
                "Write &H followed by 1 to 16 hex digits, e.g. &HF7.");
        }

        return new Token(TokenKind.Number, start + 1, text[start..i], value);
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        i++;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        var literal = text[start..i];
        if (!decimal.TryParse(literal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new ExpressionSyntaxException(start + 1, $"'{literal}' is not a number", "Write numbers like 3, -1 or 2.5.");
        }

        return new Token(TokenKind.Number, start + 1, literal, value);
    }

    internal static string Printable(char c) => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString();

    internal static string Printable(string s)
    {
        var shown = s.Length > 60 ? s[..60] + "…" : s;
        return string.Concat(shown.Select(Printable));
    }
}
