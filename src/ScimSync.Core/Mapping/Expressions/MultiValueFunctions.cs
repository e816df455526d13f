using System.Text.Json;
using static ScimSync.Core.Mapping.Expressions.ValueConversion;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>Functions for multi-valued attributes such as proxyAddresses or appRoleAssignments.</summary>
internal static class MultiValueFunctions
{
    public static IEnumerable<ExpressionFunction> All =>
    [
        new("Count", 1, 1, "Count(attribute)", args => ExpressionValue.FromNumber(args[0].AsList().Length)),
        new("Item", 2, 2, "Item(attribute, index)", Item),
        new("RemoveDuplicates", 1, 1, "RemoveDuplicates(attribute)", RemoveDuplicates),
        new("SingleAppRoleAssignment", 1, 1, "SingleAppRoleAssignment([appRoleAssignments])", SingleAppRoleAssignment),
        new("Split", 2, 2, "Split(source, delimiter)", Split),
    ];

    private static ExpressionValue Item(CallArguments args)
    {
        var values = args[0].AsList();
        var index = Integer(args, 1, "index", 0);
        if (index < 1)
        {
            throw args.Error($"index is 1-based and must be at least 1, not {index}");
        }

        return index <= values.Length ? values[index - 1] : ExpressionValue.Null;
    }

    private static ExpressionValue RemoveDuplicates(CallArguments args)
    {
        var source = args[0];
        if (source.IsNull)
        {
            return ExpressionValue.Null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return ExpressionValue.FromList(source.AsList().Where(v => seen.Add(v.ToText() ?? string.Empty)));
    }

    private static ExpressionValue SingleAppRoleAssignment(CallArguments args)
    {
        // Entra picks an arbitrary role when several are assigned; the ordinally smallest one is stable across cycles.
        var roles = args[0].AsList()
            .Select(RoleValue)
            .Where(role => !string.IsNullOrEmpty(role))
            .Order(StringComparer.Ordinal)
            .ToList();
        return roles.Count == 0 ? ExpressionValue.Null : ExpressionValue.FromString(roles[0]);
    }

    private static string? RoleValue(ExpressionValue value)
    {
        if (value.Kind != ExpressionValueKind.Json)
        {
            return value.ToText();
        }

        var element = value.JsonValue;
        foreach (var name in new[] { "value", "appRoleValue", "displayName" })
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String)
            {
                return property.GetString();
            }
        }

        return null;
    }

    private static ExpressionValue Split(CallArguments args)
    {
        var source = Text(args, 0);
        var delimiter = Text(args, 1);
        if (source is null)
        {
            return ExpressionValue.Null;
        }

        if (string.IsNullOrEmpty(delimiter))
        {
            throw args.Error("delimiter must not be empty");
        }

        return ExpressionValue.FromList(source.Split(delimiter).Select(ExpressionValue.FromString));
    }
}
