using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Watermarks;

/// <summary>Which Graph delta query (users or groups) a watermark belongs to.</summary>
public enum WatermarkKind
{
    Users,
    Groups,
}

/// <summary>
/// Where the next cycle continues reading the directory: the deltaLink Graph returned at the end of the last
/// completed read. Saved only after every work item of the cycle is enqueued.
/// </summary>
public sealed record Watermark(JobId Job, WatermarkKind Kind, string DeltaLink, DateTimeOffset SavedAt, string CycleId);
