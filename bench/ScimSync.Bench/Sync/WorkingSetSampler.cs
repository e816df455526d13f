using System.Diagnostics;

namespace ScimSync.Bench.Sync;

/// <summary>
/// Samples this process's working set every 50 ms while a scenario runs: the operating system's own peak counter
/// cannot be reset between scenarios, and the process also holds the emulators' tenants, so the figure that
/// matters is the peak during the measured phase next to the level just before it.
/// </summary>
internal sealed class WorkingSetSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly int _fullCollections = GC.CollectionCount(2);
    private long _peak;
    private long _peakHeap;

    private WorkingSetSampler()
    {
        Baseline = Current();
        _peak = Baseline;
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>The working set when sampling started.</summary>
    public long Baseline { get; }

    public long Peak => Math.Max(Interlocked.Read(ref _peak), Current());

    /// <summary>The largest managed heap a collection left behind (live objects and the free space among them).</summary>
    public long PeakHeap => Math.Max(Interlocked.Read(ref _peakHeap), GC.GetGCMemoryInfo().HeapSizeBytes);

    /// <summary>Full (generation 2) collections since sampling started.</summary>
    public int FullCollections => GC.CollectionCount(2) - _fullCollections;

    /// <summary>Collects garbage first, so the baseline is what the process holds, not what it has yet to free.</summary>
    public static WorkingSetSampler Start()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new WorkingSetSampler();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private static long Current()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                RaiseTo(ref _peak, Current());
                RaiseTo(ref _peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private static void RaiseTo(ref long peak, long now)
    {
        long seen;
        while (now > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
        {
        }
    }
}
