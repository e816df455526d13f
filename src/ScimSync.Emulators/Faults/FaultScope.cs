namespace ScimSync.Emulators.Faults;

/// <summary>
/// Limits a fault to some requests: an HTTP method, a route pattern as <see cref="RequestCounters"/> names it
/// (e.g. <c>/Users/{id}</c>), or both. A null part matches anything; comparisons ignore case.
/// </summary>
public sealed record FaultScope(string? Method = null, string? Route = null)
{
    /// <summary>Scope by method and route in the counters' form, e.g. <c>"PATCH /Groups/{id}"</c>.</summary>
    public static FaultScope Parse(string methodAndRoute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(methodAndRoute);
        var space = methodAndRoute.IndexOf(' ', StringComparison.Ordinal);
        return space < 0
            ? throw new ArgumentException($"Expected \"METHOD /route\", e.g. \"PATCH /Users/{{id}}\", but got \"{methodAndRoute}\".", nameof(methodAndRoute))
            : new FaultScope(methodAndRoute[..space], methodAndRoute[(space + 1)..].Trim());
    }

    internal bool Matches(string method, string route) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (Route is null || string.Equals(Route, route, StringComparison.OrdinalIgnoreCase));
}
