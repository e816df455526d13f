using System.Globalization;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>The conversions functions apply to their arguments, with errors that name the function.</summary>
internal static class ValueConversion
{
    private static readonly string[] DateFormats =
    [
        ExpressionValue.EntraDateFormat, "M/d/yyyy", "yyyyMMddHHmmss.fZ", "yyyyMMddHHmmss.0Z", "yyyyMMddHHmmssZ",
    ];

    public static string? Text(in CallArguments args, int index) => Text(args, args[index]);

    public static string? Text(in CallArguments args, ExpressionValue value) =>
        value.Kind == ExpressionValueKind.List
            ? throw args.Error($"a multi-valued value ({value.ListValue.Length} values) was given where a single value is needed; use Item() or Join()")
            : value.ToText();

    public static decimal? Number(in CallArguments args, int index, string what)
    {
        var value = args[index];
        switch (value.Kind)
        {
            case ExpressionValueKind.Null:
                return null;
            case ExpressionValueKind.Number:
                return value.NumberValue;
            case ExpressionValueKind.Boolean:
                return value.BooleanValue ? -1 : 0;
            case ExpressionValueKind.Text when TryParseNumber(value.StringValue, out var parsed):
                return parsed;
            default:
                throw args.Error($"{what} must be a number, not {value}");
        }
    }

    public static int Integer(in CallArguments args, int index, string what, int fallback)
    {
        var number = Number(args, index, what);
        if (number is null)
        {
            return fallback;
        }

        if (number != decimal.Truncate(number.Value) || number < int.MinValue || number > int.MaxValue)
        {
            throw args.Error($"{what} must be a whole number, not {number.Value.ToString(CultureInfo.InvariantCulture)}");
        }

        return (int)number.Value;
    }

    public static bool? Boolean(in CallArguments args, ExpressionValue value)
    {
        switch (value.Kind)
        {
            case ExpressionValueKind.Null:
                return null;
            case ExpressionValueKind.Boolean:
                return value.BooleanValue;
            case ExpressionValueKind.Number:
                return value.NumberValue != 0;
            case ExpressionValueKind.Text when bool.TryParse(value.StringValue.Trim(), out var parsed):
                return parsed;
            case ExpressionValueKind.Text when TryParseNumber(value.StringValue, out var number):
                return number != 0;
            default:
                throw args.Error($"{value} is not a Boolean (True/False) or a number");
        }
    }

    public static DateTime? Date(in CallArguments args, int index)
    {
        var value = args[index];
        switch (value.Kind)
        {
            case ExpressionValueKind.Null:
                return null;
            case ExpressionValueKind.Date:
                return value.DateValue;
            case ExpressionValueKind.Text when TryParseDate(value.StringValue, out var parsed):
                return parsed;
            default:
                throw args.Error($"{value} is not a date; write dates as ISO 8601 (2021-06-30T08:00:00Z) or M/d/yyyy h:mm:ss tt");
        }
    }

    public static bool TryParseNumber(string text, out decimal number) =>
        decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    public static bool TryParseDate(string text, out DateTime date)
    {
        const DateTimeStyles styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, styles, out var exact)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out exact))
        {
            date = exact.UtcDateTime;
            return true;
        }

        date = default;
        return false;
    }
}
