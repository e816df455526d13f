namespace ScimSync.Core.Directory;

/// <summary>
/// Hands out one instance per distinct string, so that a value repeated across many objects is held once. Bounded:
/// past <c>maxCount</c> distinct strings, new ones are returned as they came.
/// </summary>
internal sealed class StringPool(int maxCount)
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

    /// <summary>The pooled instance equal to <paramref name="value"/>, or <paramref name="value"/> itself.</summary>
    public string Share(string value)
    {
        if (_strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (_strings.Count < maxCount)
        {
            _strings.Add(value);
        }

        return value;
    }
}
