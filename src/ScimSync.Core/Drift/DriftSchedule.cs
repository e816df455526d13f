using ScimSync.Core.Configuration;

namespace ScimSync.Core.Drift;

/// <summary>When a job's scheduled drift scans are due (<c>policy.driftScanInterval</c>).</summary>
public static class DriftSchedule
{
    /// <summary>The next scheduled scan after one at <paramref name="now"/>; null when the job scans only on demand.</summary>
    public static DateTimeOffset? Following(ProvisioningJob job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var interval = job.Definition.Policy.DriftScanInterval;
        return interval == TimeSpan.Zero ? null : now + interval;
    }
}
