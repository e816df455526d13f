namespace ScimSync.Core.Mapping.Expressions;

/// <summary>
/// The comparison operators. Numbers compare as numbers, dates as dates, Booleans ignoring case ("True" = True),
/// everything else as case-sensitive text. Null equals only null or the empty string; an ordering comparison with
/// null is false.
/// </summary>
internal static class ValueComparison
{
    public static bool Compare(string op, ExpressionValue left, ExpressionValue right)
    {
        if (left.IsNullOrEmpty || right.IsNullOrEmpty)
        {
            var bothEmpty = left.IsNullOrEmpty && right.IsNullOrEmpty;
            return op switch
            {
                "=" => bothEmpty,
                "<>" => !bothEmpty,
                _ => false,
            };
        }

        var order = Order(left, right);
        return op switch
        {
            "=" => order == 0,
            "<>" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            ">=" => order >= 0,
            _ => throw new ExpressionEvaluationException($"unknown comparison operator '{op}'"),
        };
    }

    private static int Order(ExpressionValue left, ExpressionValue right)
    {
        if (TryNumber(left, out var a) && TryNumber(right, out var b))
        {
            return a.CompareTo(b);
        }

        if (left.Kind == ExpressionValueKind.Date || right.Kind == ExpressionValueKind.Date)
        {
            if (TryDate(left, out var da) && TryDate(right, out var db))
            {
                return da.CompareTo(db);
            }
        }

        var leftText = left.ToText()!;
        var rightText = right.ToText()!;
        return left.Kind == ExpressionValueKind.Boolean || right.Kind == ExpressionValueKind.Boolean
            ? string.Compare(leftText, rightText, StringComparison.OrdinalIgnoreCase)
            : string.CompareOrdinal(leftText, rightText);
    }

    private static bool TryNumber(ExpressionValue value, out decimal number)
    {
        number = 0;
        return value.Kind switch
        {
            ExpressionValueKind.Number => (number = value.NumberValue) == number,
            ExpressionValueKind.Text => ValueConversion.TryParseNumber(value.StringValue, out number),
            _ => false,
        };
    }

    private static bool TryDate(ExpressionValue value, out DateTime date)
    {
        date = default;
        return value.Kind switch
        {
            ExpressionValueKind.Date => (date = value.DateValue) == date,
            ExpressionValueKind.Text => ValueConversion.TryParseDate(value.StringValue, out date),
            _ => false,
        };
    }
}
