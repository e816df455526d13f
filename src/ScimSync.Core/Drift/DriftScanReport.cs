using ScimSync.Core.Identity;

namespace ScimSync.Core.Drift;

/// <summary>What one drift scan of one job read, found and did.</summary>
public sealed record DriftScanReport
{
    public required JobId Job { get; init; }

    /// <summary>The scan's id; its provisioning log entries carry it as their cycle id.</summary>
    public required string ScanId { get; init; }

    /// <summary>True for a dry run (<c>scimsync audit --plan</c>): nothing was written.</summary>
    public bool Plan { get; init; }

    /// <summary>The job's <c>policy.repairDrift</c>: whether the differences become changes for the next cycle.</summary>
    public bool RepairEnabled { get; init; }

    public DriftScanCounts Counts { get; init; } = new();

    /// <summary>Every difference found, foreign objects included.</summary>
    public IReadOnlyList<DriftFinding> Findings { get; init; } = [];

    /// <summary>What the scan did, in plain words.</summary>
    public required string Message { get; init; }
}
