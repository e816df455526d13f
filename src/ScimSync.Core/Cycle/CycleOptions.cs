namespace ScimSync.Core.Cycle;

/// <summary>How to run one cycle.</summary>
/// <param name="DryRun">Read and plan only: nothing is enqueued, no state or watermark is written, no lease is taken.</param>
/// <param name="ForceFull">Ignore the stored watermarks and read the whole directory (the next cycles continue from this read).</param>
public sealed record CycleOptions(bool DryRun = false, bool ForceFull = false)
{
    public static CycleOptions Default { get; } = new();
}
