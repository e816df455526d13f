using System.Collections.Frozen;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>The functions expressions can call: Entra's outbound-provisioning functions, by their case-sensitive names.</summary>
public static class ExpressionFunctions
{
    private static readonly FrozenDictionary<string, ExpressionFunction> ByName =
        TextFunctions.All
            .Concat(LogicFunctions.All)
            .Concat(ConversionFunctions.All)
            .Concat(DateFunctions.All)
            .Concat(MultiValueFunctions.All)
            .Concat(GeneratorFunctions.All)
            .ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    // Entra functions ScimSync deliberately does not offer, with the reason given to whoever writes them.
    private static readonly FrozenDictionary<string, string> Unsupported = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["AppRoleAssignmentsComplex"] = "AppRoleAssignmentsComplex provisions SCIM roles, which ScimSync does not manage; use SingleAppRoleAssignment([appRoleAssignments]) for one role.",
        ["AssertiveAppRoleAssignmentsComplex"] = "AssertiveAppRoleAssignmentsComplex provisions SCIM roles, which ScimSync does not manage; use SingleAppRoleAssignment([appRoleAssignments]) for one role.",
        ["SelectUniqueValue"] = "SelectUniqueValue works in Entra only for provisioning into on-premises Active Directory and is not available for SCIM targets.",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every function, by name.</summary>
    public static IReadOnlyCollection<ExpressionFunction> All => ByName.Values;

    /// <summary>The function with exactly this (case-sensitive) name, or null.</summary>
    public static ExpressionFunction? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>A hint for an unknown function name: the right casing, the nearest name, or why it is unsupported.</summary>
    public static string SuggestFor(string name)
    {
        if (Unsupported.TryGetValue(name, out var reason))
        {
            return reason;
        }

        var caseInsensitive = ByName.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        if (caseInsensitive is not null)
        {
            return $"Function names are case-sensitive: did you mean '{caseInsensitive}'?";
        }

        var nearest = NameSuggestion.Nearest(name, ByName.Keys);
        return nearest is not null
            ? $"Did you mean '{nearest}'?"
            : "See the list of functions in docs/configuration.md.";
    }
}
