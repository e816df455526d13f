using System.Collections.Concurrent;

namespace ScimSync.Emulators.Faults;

/// <summary>
/// Counts the requests an emulator received, by method and route pattern (e.g. <c>"PATCH /Users/{id}"</c>) and by
/// what happened to them, so tests can check how many calls a client made and how many were throttled or failed.
/// Thread-safe; tests read and reset it while the emulator runs.
/// </summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<(string Route, RequestOutcome Outcome), long> _counts = new();

    /// <summary>Every request counted, whatever its outcome.</summary>
    public long Total => _counts.Sum(pair => pair.Value);

    /// <summary>Requests to one route in the form <c>"METHOD /route"</c>, whatever their outcome.</summary>
    public long Count(string methodAndRoute) =>
        _counts.Where(pair => Same(pair.Key.Route, methodAndRoute)).Sum(pair => pair.Value);

    /// <summary>Requests with one outcome, over all routes.</summary>
    public long Count(RequestOutcome outcome) =>
        _counts.Where(pair => pair.Key.Outcome == outcome).Sum(pair => pair.Value);

    /// <summary>Requests to one route (<c>"METHOD /route"</c>) with one outcome.</summary>
    public long Count(string methodAndRoute, RequestOutcome outcome) =>
        _counts.Where(pair => pair.Key.Outcome == outcome && Same(pair.Key.Route, methodAndRoute)).Sum(pair => pair.Value);

    /// <summary>A copy of all counts: route (<c>"METHOD /route"</c>) to outcome to count.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<RequestOutcome, long>> Snapshot() =>
        _counts
            .GroupBy(pair => pair.Key.Route, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                group => group.Key,
                group => (IReadOnlyDictionary<RequestOutcome, long>)group.ToDictionary(pair => pair.Key.Outcome, pair => pair.Value),
                StringComparer.OrdinalIgnoreCase);

    /// <summary>Forgets every count.</summary>
    public void Reset() => _counts.Clear();

    internal void Record(string methodAndRoute, RequestOutcome outcome) =>
        _counts.AddOrUpdate((methodAndRoute, outcome), 1, (_, count) => count + 1);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
