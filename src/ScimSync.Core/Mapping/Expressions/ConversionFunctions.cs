using static ScimSync.Core.Mapping.Expressions.ValueConversion;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>Conversions between value types.</summary>
internal static class ConversionFunctions
{
    public static IEnumerable<ExpressionFunction> All =>
    [
        new("BitAnd", 2, 2, "BitAnd(value1, value2)", BitAnd),
        new("CBool", 1, 1, "CBool(expression)", args => Boolean(args, args[0]) is { } value ? ExpressionValue.FromBoolean(value) : ExpressionValue.Null),
        new("CStr", 1, 1, "CStr(value)", args => ExpressionValue.FromString(Text(args, 0))),
    ];

    private static ExpressionValue BitAnd(CallArguments args)
    {
        var left = Whole(args, 0, "value1");
        var right = Whole(args, 1, "value2");
        return left is null || right is null ? ExpressionValue.Null : ExpressionValue.FromNumber(left.Value & right.Value);
    }

    private static long? Whole(in CallArguments args, int index, string what)
    {
        var number = Number(args, index, what);
        if (number is null)
        {
            return null;
        }

        if (number != decimal.Truncate(number.Value) || number < long.MinValue || number > long.MaxValue)
        {
            throw args.Error($"{what} must be a whole number that fits in 64 bits");
        }

        return (long)number.Value;
    }
}
