using static ScimSync.Core.Mapping.Expressions.ValueConversion;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>Conditions, null handling and choices between values.</summary>
internal static class LogicFunctions
{
    public const string IgnoreFlowIfNullOrEmpty = nameof(IgnoreFlowIfNullOrEmpty);
    public const string Redact = nameof(Redact);

    public static IEnumerable<ExpressionFunction> All =>
    [
        new("Coalesce", 1, int.MaxValue, "Coalesce(source1, source2, …, defaultValue)", Coalesce),
        new(IgnoreFlowIfNullOrEmpty, 1, 1, "IgnoreFlowIfNullOrEmpty(expression)", args =>
            args[0] is { IsNullOrEmpty: false } value ? value : ExpressionValue.Null),
        new("IIF", 3, 3, "IIF(condition, valueIfTrue, valueIfFalse)", Iif),
        new("IsNull", 1, 1, "IsNull(expression)", args => ExpressionValue.FromBoolean(args[0].IsNull)),
        new("IsNullOrEmpty", 1, 1, "IsNullOrEmpty(expression)", args => ExpressionValue.FromBoolean(args[0].IsNullOrEmpty)),
        new("IsPresent", 1, 1, "IsPresent(expression)", args => ExpressionValue.FromBoolean(!args[0].IsNullOrEmpty)),
        new("IsString", 1, 1, "IsString(expression)", args => ExpressionValue.FromBoolean(args[0].Kind == ExpressionValueKind.Text)),
        new("Not", 1, 1, "Not(expression)", args => Boolean(args, args[0]) is { } value ? ExpressionValue.FromBoolean(!value) : ExpressionValue.Null),
        new(Redact, 1, 1, "Redact(expression)", args => args[0]),
        new("Switch", 4, int.MaxValue, "Switch(source, defaultValue, key1, value1, key2, value2, …)", Switch, evenArgumentCount: true),
    ];

    private static ExpressionValue Coalesce(CallArguments args)
    {
        // Empty text counts as missing too: Graph returns "" for some cleared attributes, and an empty value
        // is never the one an admin wants to send.
        for (var i = 0; i < args.Count; i++)
        {
            var value = args[i];
            if (!value.IsNullOrEmpty)
            {
                return value;
            }
        }

        return ExpressionValue.Null;
    }

    private static ExpressionValue Iif(CallArguments args)
    {
        var condition = Boolean(args, args[0]) ?? false;
        return condition ? args[1] : args[2];
    }

    private static ExpressionValue Switch(CallArguments args)
    {
        var source = Text(args, 0);
        if (source is not null)
        {
            for (var i = 2; i + 1 < args.Count; i += 2)
            {
                if (string.Equals(Text(args, i), source, StringComparison.Ordinal))
                {
                    return args[i + 1];
                }
            }
        }

        return args[1];
    }
}
