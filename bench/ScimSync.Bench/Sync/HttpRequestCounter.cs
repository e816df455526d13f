using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ScimSync.Bench.Sync;

/// <summary>
/// Counts every HTTP request this process sends, by server port, from .NET's own <c>http.client.request.duration</c>
/// metric (one measurement per request, retries included). The Azure SDK clients the engine builds send through
/// <c>HttpClient</c>, so Table and queue requests are counted without touching the engine's composition; Azurite's
/// table and queue endpoints listen on their own ports.
/// </summary>
internal sealed class HttpRequestCounter : IDisposable
{
    private readonly ConcurrentDictionary<int, long> _byPort = new();
    private readonly MeterListener _listener = new();

    public HttpRequestCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "server.port" && tag.Value is int port)
                {
                    _byPort.AddOrUpdate(port, 1, (_, count) => count + 1);
                    return;
                }
            }
        });
        _listener.Start();
    }

    public long Count(int port) => _byPort.GetValueOrDefault(port);

    public void Dispose() => _listener.Dispose();
}
