using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static ScimSync.Core.Mapping.Expressions.ValueConversion;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>Functions that work on text.</summary>
internal static class TextFunctions
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static IEnumerable<ExpressionFunction> All =>
    [
        new("Append", 2, 2, "Append(source, suffix)", Append),
        new("ConvertToBase64", 1, 1, "ConvertToBase64(source)", args =>
            Map(args, 0, s => Convert.ToBase64String(Encoding.Unicode.GetBytes(s)))),
        new("ConvertToUTF8Hex", 1, 1, "ConvertToUTF8Hex(source)", args =>
            Map(args, 0, s => Convert.ToHexString(Encoding.UTF8.GetBytes(s)))),
        new("InStr", 2, 4, "InStr(value1, value2, start, compareType)", InStr),
        new("Join", 2, int.MaxValue, "Join(separator, source1, source2, …)", Join),
        new("Left", 2, 2, "Left(string, numChars)", Left),
        new("Mid", 3, 3, "Mid(source, start, length)", Mid),
        new("NormalizeDiacritics", 1, 1, "NormalizeDiacritics(source)", args => Map(args, 0, Diacritics.Normalize)),
        new("PCase", 1, 2, "PCase(source, wordSeparators)", PCase),
        new("Replace", 7, 7, "Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template) with unused arguments left empty, e.g. Replace([a], \"old\", , , \"new\", , )", Replace),
        new("StripSpaces", 1, 1, "StripSpaces(source)", args => Map(args, 0, s => s.Replace(" ", string.Empty, StringComparison.Ordinal))),
        new("ToLower", 1, 2, "ToLower(source, culture)", args => ChangeCase(args, upper: false)),
        new("ToUpper", 1, 2, "ToUpper(source, culture)", args => ChangeCase(args, upper: true)),
        new("Word", 3, 3, "Word(string, wordNumber, delimiters)", Word),
    ];

    private static ExpressionValue Map(in CallArguments args, int index, Func<string, string> transform)
    {
        var text = Text(args, index);
        return text is null ? ExpressionValue.Null : ExpressionValue.FromString(transform(text));
    }

    private static ExpressionValue Append(CallArguments args)
    {
        var source = Text(args, 0);
        return source is null ? ExpressionValue.Null : ExpressionValue.FromString(source + Text(args, 1));
    }

    private static ExpressionValue InStr(CallArguments args)
    {
        var value1 = Text(args, 0);
        var value2 = Text(args, 1);
        var start = Integer(args, 2, "start", 1);
        var compare = Integer(args, 3, "compareType", 0);
        if (start < 1)
        {
            throw args.Error($"start is 1-based and must be at least 1, not {start}");
        }

        if (compare is not (0 or 1))
        {
            throw args.Error("compareType must be vbBinaryCompare (0) or vbTextCompare (1)");
        }

        if (value1 is null || value2 is null)
        {
            return ExpressionValue.Null;
        }

        if (start > value1.Length)
        {
            return ExpressionValue.FromNumber(0);
        }

        var index = value1.IndexOf(value2, start - 1, compare == 1 ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        return ExpressionValue.FromNumber(index + 1);
    }

    private static ExpressionValue Join(CallArguments args)
    {
        var separator = Text(args, 0) ?? string.Empty;
        var parts = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            foreach (var value in args[i].AsList())
            {
                var text = Text(args, value);
                if (text is not null)
                {
                    parts.Add(text);
                }
            }
        }

        return parts.Count == 0 ? ExpressionValue.Null : ExpressionValue.FromString(string.Join(separator, parts));
    }

    private static ExpressionValue Left(CallArguments args)
    {
        var source = Text(args, 0);
        var count = Integer(args, 1, "numChars", 0);
        if (source is null)
        {
            return ExpressionValue.EmptyString;
        }

        return ExpressionValue.FromString(count < 0 || count >= source.Length ? source : source[..count]);
    }

    private static ExpressionValue Mid(CallArguments args)
    {
        var source = Text(args, 0);
        var start = Integer(args, 1, "start", 1);
        var length = Integer(args, 2, "length", 0);
        if (start < 1)
        {
            throw args.Error($"start is 1-based and must be at least 1, not {start}");
        }

        if (length < 0)
        {
            throw args.Error($"length must not be negative, not {length}");
        }

        if (source is null)
        {
            return ExpressionValue.Null;
        }

        if (start > source.Length)
        {
            return ExpressionValue.EmptyString;
        }

        return ExpressionValue.FromString(source.Substring(start - 1, Math.Min(length, source.Length - start + 1)));
    }

    private static ExpressionValue PCase(CallArguments args)
    {
        var source = Text(args, 0);
        if (source is null)
        {
            return ExpressionValue.Null;
        }

        var separators = Text(args, 1);
        if (string.IsNullOrEmpty(separators))
        {
            // ToTitleCase leaves words in capitals alone (it takes them for acronyms), so lower-case first:
            // PCase("NOEL SMITH") is "Noel Smith".
            return ExpressionValue.FromString(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(source.ToLowerInvariant()));
        }

        var builder = new StringBuilder(source.Length);
        var startOfWord = true;
        foreach (var c in source)
        {
            builder.Append(startOfWord ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            startOfWord = separators.Contains(c, StringComparison.Ordinal);
        }

        return ExpressionValue.FromString(builder.ToString());
    }

    private static ExpressionValue Replace(CallArguments args)
    {
        var source = Text(args, 0);
        var oldValue = args.IsOmitted(1) ? null : Text(args, 1);
        var pattern = args.IsOmitted(2) ? null : Text(args, 2);
        var groupName = args.IsOmitted(3) ? null : Text(args, 3);
        var replacementAttribute = args.IsOmitted(5) ? null : Text(args, 5);
        var replacement = (args.IsOmitted(4) ? null : Text(args, 4)) ?? replacementAttribute ?? string.Empty;
        var template = args.IsOmitted(6) ? null : Text(args, 6);

        if (string.IsNullOrEmpty(source))
        {
            return replacementAttribute is not null ? ExpressionValue.FromString(replacementAttribute) : ExpressionValue.FromString(source);
        }

        if (!string.IsNullOrEmpty(oldValue))
        {
            return ExpressionValue.FromString(template is not null
                ? template.Replace(oldValue, source, StringComparison.Ordinal)
                : source.Replace(oldValue, replacement, StringComparison.Ordinal));
        }

        if (string.IsNullOrEmpty(pattern))
        {
            throw args.Error("give either oldValue (2nd argument) or regexPattern (3rd argument)");
        }

        try
        {
            if (string.IsNullOrEmpty(groupName))
            {
                return ExpressionValue.FromString(Regex.Replace(source, pattern, replacement, RegexOptions.CultureInvariant, RegexTimeout));
            }

            var regex = new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
            if (regex.GroupNumberFromName(groupName) < 0)
            {
                throw args.Error($"the pattern has no group named '{groupName}'");
            }

            return ExpressionValue.FromString(regex.Replace(source, match =>
            {
                var group = match.Groups[groupName];
                if (!group.Success)
                {
                    return match.Value;
                }

                var offset = group.Index - match.Index;
                return string.Concat(match.Value.AsSpan(0, offset), replacement, match.Value.AsSpan(offset + group.Length));
            }));
        }
        catch (ArgumentException e)
        {
            throw args.Error($"regexPattern is not a valid .NET regular expression: {e.Message}");
        }
        catch (RegexMatchTimeoutException)
        {
            throw args.Error($"regexPattern took longer than {RegexTimeout.TotalSeconds:0} second on this value");
        }
    }

    private static ExpressionValue ChangeCase(CallArguments args, bool upper)
    {
        var source = Text(args, 0);
        var culture = Text(args, 1);
        if (source is null)
        {
            return ExpressionValue.Null;
        }

        // The process runs with invariant globalization, so the one common culture-specific rule, the Turkic
        // dotted and dotless i, is applied here; every other culture cases like the invariant culture.
        var turkic = culture is not null && (culture.StartsWith("tr", StringComparison.OrdinalIgnoreCase) || culture.StartsWith("az", StringComparison.OrdinalIgnoreCase));
        if (turkic)
        {
            source = upper
                ? source.Replace('i', 'İ').Replace('ı', 'I')
                : source.Replace('I', 'ı').Replace('İ', 'i');
        }

        return ExpressionValue.FromString(upper ? source.ToUpperInvariant() : source.ToLowerInvariant());
    }

    private static ExpressionValue Word(CallArguments args)
    {
        var source = Text(args, 0);
        var number = Integer(args, 1, "wordNumber", 0);
        var delimiters = Text(args, 2);
        if (source is null || number < 1)
        {
            return ExpressionValue.EmptyString;
        }

        var words = string.IsNullOrEmpty(delimiters)
            ? source.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            : source.Split(delimiters.ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        return number <= words.Length ? ExpressionValue.FromString(words[number - 1]) : ExpressionValue.EmptyString;
    }
}
