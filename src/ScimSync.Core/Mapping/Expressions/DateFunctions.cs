using System.Globalization;
using static ScimSync.Core.Mapping.Expressions.ValueConversion;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>Date functions. Dates are UTC; as text they read <c>M/d/yyyy h:mm:ss tt</c>, as Entra writes them.</summary>
internal static class DateFunctions
{
    private const DateTimeStyles DefaultStyles = DateTimeStyles.RoundtripKind | DateTimeStyles.AllowLeadingWhite | DateTimeStyles.AllowTrailingWhite;

    private static readonly string ValidIntervals = "yyyy (years), m (months), ww (weeks), d (days), h (hours), n (minutes), s (seconds)";

    public static IEnumerable<ExpressionFunction> All =>
    [
        new("CDate", 1, 1, "CDate(expression)", args => Date(args, 0) is { } date ? ExpressionValue.FromDate(date) : ExpressionValue.Null),
        new("DateAdd", 3, 3, "DateAdd(interval, value, dateTime)", DateAdd),
        new("DateDiff", 3, 3, "DateDiff(interval, date1, date2)", DateDiff),
        new("DateFromNum", 1, 1, "DateFromNum(value)", DateFromNum),
        new("FormatDateTime", 4, 4, "FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat), e.g. FormatDateTime([a], , \"yyyyMMddHHmmss.fZ\", \"yyyy-MM-dd\")", FormatDateTime),
        new("Now", 0, 0, "Now()", args => ExpressionValue.FromDate(args.TimeProvider.GetUtcNow().UtcDateTime)),
        new("NumFromDate", 1, 1, "NumFromDate(value)", NumFromDate),
    ];

    private static ExpressionValue DateAdd(CallArguments args)
    {
        var interval = Text(args, 0);
        var amount = Integer(args, 1, "value", 0);
        var date = Date(args, 2);
        if (date is null)
        {
            return ExpressionValue.Null;
        }

        try
        {
            return ExpressionValue.FromDate(interval switch
            {
                "yyyy" => date.Value.AddYears(amount),
                "m" => date.Value.AddMonths(amount),
                "ww" => date.Value.AddDays(7.0 * amount),
                "d" => date.Value.AddDays(amount),
                "h" => date.Value.AddHours(amount),
                "n" => date.Value.AddMinutes(amount),
                "s" => date.Value.AddSeconds(amount),
                _ => throw args.Error($"interval '{interval}' is not one of {ValidIntervals}"),
            });
        }
        catch (ArgumentOutOfRangeException)
        {
            throw args.Error("the result is outside the range of dates (years 1 to 9999)");
        }
    }

    private static ExpressionValue DateDiff(CallArguments args)
    {
        var interval = Text(args, 0);
        var first = Date(args, 1);
        var second = Date(args, 2);
        if (first is null || second is null)
        {
            return ExpressionValue.Null;
        }

        var (a, b) = (first.Value, second.Value);
        var span = b - a;
        decimal difference = interval switch
        {
            // Years and months count calendar boundaries crossed, as VBA's DateDiff does.
            "yyyy" => b.Year - a.Year,
            "m" => ((b.Year - a.Year) * 12) + b.Month - a.Month,
            "ww" => (long)(span.TotalDays / 7),
            "d" => (long)span.TotalDays,
            "h" => (long)span.TotalHours,
            "n" => (long)span.TotalMinutes,
            "s" => (long)span.TotalSeconds,
            _ => throw args.Error($"interval '{interval}' is not one of {ValidIntervals}"),
        };
        return ExpressionValue.FromNumber(difference);
    }

    private static ExpressionValue DateFromNum(CallArguments args)
    {
        var number = Number(args, 0, "value");
        if (number is null)
        {
            return ExpressionValue.Null;
        }

        if (number < 0 || number > DateTime.MaxValue.ToFileTimeUtc() || number != decimal.Truncate(number.Value))
        {
            throw args.Error($"{number.Value.ToString(CultureInfo.InvariantCulture)} is not an Active Directory date (100-nanosecond intervals since 1 January 1601)");
        }

        return ExpressionValue.FromDate(DateTime.FromFileTimeUtc((long)number.Value));
    }

    private static ExpressionValue NumFromDate(CallArguments args)
    {
        var date = Date(args, 0);
        if (date is null)
        {
            return ExpressionValue.Null;
        }

        if (date.Value.Year < 1601)
        {
            throw args.Error("dates before 1601 have no Active Directory number");
        }

        return ExpressionValue.FromNumber(date.Value.ToFileTimeUtc());
    }

    private static ExpressionValue FormatDateTime(CallArguments args)
    {
        var source = args[0];
        var stylesText = Text(args, 1);
        var inputFormat = Text(args, 2);
        var outputFormat = Text(args, 3);
        if (source.IsNullOrEmpty)
        {
            return ExpressionValue.Null;
        }

        if (string.IsNullOrEmpty(outputFormat))
        {
            throw args.Error("outputFormat (4th argument) is required");
        }

        var styles = DefaultStyles;
        if (!string.IsNullOrWhiteSpace(stylesText) && !Enum.TryParse(stylesText, ignoreCase: true, out styles))
        {
            throw args.Error($"'{stylesText}' is not a DateTimeStyles value such as AdjustToUniversal or AssumeUniversal");
        }

        DateTime date;
        if (source.Kind == ExpressionValueKind.Date)
        {
            date = source.DateValue;
        }
        else
        {
            var text = Text(args, source)!;
            var parsed = string.IsNullOrEmpty(inputFormat)
                ? DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out date)
                : DateTime.TryParseExact(text, inputFormat, CultureInfo.InvariantCulture, styles, out date);
            if (!parsed)
            {
                throw args.Error($"\"{text}\" does not match the input format \"{inputFormat}\"");
            }
        }

        try
        {
            return ExpressionValue.FromString(date.ToString(outputFormat, CultureInfo.InvariantCulture));
        }
        catch (FormatException)
        {
            throw args.Error($"\"{outputFormat}\" is not a valid .NET date format");
        }
    }
}
