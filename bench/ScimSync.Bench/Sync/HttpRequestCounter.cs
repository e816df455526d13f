using System.Collections.Concurrent;
using System.Diagnostics;

namespace ScimSync.Bench.Sync;

/// <summary>
/// Counts every HTTP request this process sends, by server port and by method and resource, from the activity .NET's
/// <c>HttpClient</c> starts for each request (retries included). The Azure SDK clients the engine builds send through
/// <c>HttpClient</c>, so Table and queue requests are counted without touching the engine's composition; Azurite's
/// table and queue endpoints listen on their own ports.
/// </summary>
internal sealed class HttpRequestCounter : IDisposable
{
    private readonly ConcurrentDictionary<(int Port, string Request), long> _counts = new();
    private readonly ConcurrentDictionary<int, (DateTime First, DateTime Last)> _windows = new();
    private readonly ConcurrentDictionary<(int Port, string Request), long> _ticks = new();
    private readonly ConcurrentDictionary<(int Port, string Method), (DateTime First, DateTime Last)> _methodWindows = new();
    private readonly ActivityListener _listener;

    public HttpRequestCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public long Count(int port) => _counts.Where(pair => pair.Key.Port == port).Sum(pair => pair.Value);

    /// <summary>The time requests to a port took in all, from sending each to its answer, by <c>"METHOD resource"</c>.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Times(int port) =>
        _ticks.Where(pair => pair.Key.Port == port).ToDictionary(pair => pair.Key.Request, pair => TimeSpan.FromTicks(pair.Value), StringComparer.Ordinal);

    /// <summary>A copy of the counts to one port, by <c>"METHOD resource"</c>.</summary>
    public IReadOnlyDictionary<string, long> Snapshot(int port) =>
        _counts.Where(pair => pair.Key.Port == port).ToDictionary(pair => pair.Key.Request, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>From the start of the first to the end of the last request to a port since <see cref="ResetWindows"/>.</summary>
    public TimeSpan Window(int port) => _windows.TryGetValue(port, out var window) ? window.Last - window.First : TimeSpan.Zero;

    /// <summary>When the first request of a method to a port since <see cref="ResetWindows"/> started and the last ended; null if none was sent.</summary>
    public (DateTime First, DateTime Last)? Window(int port, string method) =>
        _methodWindows.TryGetValue((port, method), out var window) ? window : null;

    public void ResetWindows()
    {
        _windows.Clear();
        _methodWindows.Clear();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Activity activity)
    {
        if (activity.GetTagItem("url.full") is not string url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return;
        }

        var method = activity.GetTagItem("http.request.method") as string ?? "?";
        var request = $"{method} {Resource(uri)}";
        _counts.AddOrUpdate((uri.Port, request), 1, (_, count) => count + 1);
        _ticks.AddOrUpdate((uri.Port, request), activity.Duration.Ticks, (_, ticks) => ticks + activity.Duration.Ticks);
        var (start, end) = (activity.StartTimeUtc, activity.StartTimeUtc + activity.Duration);
        _windows.AddOrUpdate(uri.Port, (start, end), (_, window) => (start < window.First ? start : window.First, end > window.Last ? end : window.Last));
        _methodWindows.AddOrUpdate((uri.Port, method), (start, end), (_, window) => (start < window.First ? start : window.First, end > window.Last ? end : window.Last));
    }

    /// <summary>
    /// The storage resource without account, keys or ids: <c>Objects</c> for <c>/account/Objects(PartitionKey=...)</c>,
    /// <c>queue/messages/{id}</c> for a message; other paths keep their first two segments.
    /// </summary>
    private static string Resource(Uri uri)
    {
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        if (segments.Length == 0)
        {
            return "/";
        }

        var first = segments[0];
        var parenthesis = first.IndexOf('(', StringComparison.Ordinal);
        var name = parenthesis >= 0 ? first[..parenthesis] + (first.EndsWith("()", StringComparison.Ordinal) ? "()" : "(key)") : first;
        return segments.Length switch
        {
            1 => name,
            2 => $"{name}/{segments[1]}",
            _ => $"{name}/{segments[1]}/{{id}}",
        };
    }
}
