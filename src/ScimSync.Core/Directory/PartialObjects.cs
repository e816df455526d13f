namespace ScimSync.Core.Directory;

/// <summary>
/// Tells a complete delta object from a partial one. Graph returns an updated object as its id plus "at least" the
/// changed properties (graph-delta.md §2), and with <c>Prefer: return=minimal</c> only those; a property it left out
/// is unknown, not cleared. A property Graph cleared is present as <c>null</c>.
/// </summary>
internal static class PartialObjects
{
    /// <summary>
    /// The selected properties a delta object must carry to be taken as complete: the <c>$select</c> list without
    /// <c>id</c> and without the relationships (<c>manager</c>, <c>members</c>), which come as <c>…@delta</c>
    /// annotations only when they changed or are set.
    /// </summary>
    public static string[] ExpectedProperties(IEnumerable<string> select) =>
        [.. select.Where(name => !name.Equals("id", StringComparison.OrdinalIgnoreCase)
                                 && !name.Equals("manager", StringComparison.OrdinalIgnoreCase)
                                 && !name.Equals("members", StringComparison.OrdinalIgnoreCase))];

    /// <summary>True when the object lacks one of the expected properties (as a key; a null value counts as present).</summary>
    public static bool IsPartial(SourceObject source, IReadOnlyList<string> expected)
    {
        foreach (var name in expected)
        {
            if (!source.Attributes.ContainsKey(name))
            {
                return true;
            }
        }
        return false;
    }
}
