namespace ScimSync.Core.Configuration;

/// <summary>How a job runs and how careful it is: schedule, deprovisioning and the guards before any write.</summary>
public sealed class JobPolicy
{
    /// <summary>Time between incremental cycles (e.g. <c>00:05:00</c>). Entra's fixed interval is about 40 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>What leaving scope, disabling or deleting in the source does in the target.</summary>
    public DeprovisionMode Deprovision { get; set; } = DeprovisionMode.Disable;

    /// <summary>
    /// Deprovisions (disables and deletes, users and groups) in one cycle above which they are staged and the job
    /// enters DeletionsHeld until an admin allows them. Entra's documented example value is 500.
    /// </summary>
    public int DeletionThreshold { get; set; } = 500;

    /// <summary>
    /// The same threshold as a share (in percent) of the objects the job manages; the smaller of the two applies, so
    /// unassigning a whole small tenant is held too. 100 turns the share off.
    /// </summary>
    public double DeletionThresholdPercent { get; set; } = 20;

    /// <summary>
    /// A full read that returns fewer than this share of the objects the job already knows aborts the cycle before
    /// anything is enqueued (an empty or truncated source read must never deprovision the organization).
    /// </summary>
    public double MinimumFullReadRatio { get; set; } = 0.5;

    /// <summary>Provision groups and their memberships (Atlassian: yes). False provisions users only.</summary>
    public bool ProvisionGroups { get; set; } = true;

    /// <summary>Work items processed at once by an in-process worker (<c>scimsync sync</c> and <c>run</c>).</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>The time between cycles while the job is quarantined (Entra reduces to once a day).</summary>
    public TimeSpan QuarantineInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Time between drift scans, which read the target and compare it with what ScimSync applied (default daily).
    /// <c>00:00:00</c> scans only on demand (<c>scimsync audit</c>, the admin API).
    /// </summary>
    public TimeSpan DriftScanInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Whether the differences a drift scan finds become changes for the next cycle (re-create a lost object, send
    /// drifted attributes again, re-add or remove members). False only reports them.
    /// </summary>
    public bool RepairDrift { get; set; } = true;

    internal IEnumerable<string> Validate(string path)
    {
        if (Interval < TimeSpan.FromSeconds(30) || Interval > TimeSpan.FromDays(1))
        {
            yield return $"{path}.interval: use 00:00:30 to 1.00:00:00 (got {Interval}).";
        }

        if (!Enum.IsDefined(Deprovision))
        {
            yield return $"{path}.deprovision: use disable, deleteWhenHardDeleted or none.";
        }

        if (DeletionThreshold < 0)
        {
            yield return $"{path}.deletionThreshold: must be 0 or more (0 stages every deprovision for approval); got {DeletionThreshold}.";
        }

        if (double.IsNaN(DeletionThresholdPercent) || DeletionThresholdPercent < 0 || DeletionThresholdPercent > 100)
        {
            yield return $"{path}.deletionThresholdPercent: use a percentage from 0 to 100 (e.g. 20); got {DeletionThresholdPercent}.";
        }

        if (double.IsNaN(MinimumFullReadRatio) || MinimumFullReadRatio < 0 || MinimumFullReadRatio > 1)
        {
            yield return $"{path}.minimumFullReadRatio: use a share from 0 to 1 (e.g. 0.5); got {MinimumFullReadRatio}.";
        }

        if (MaxConcurrency is < 1 or > 64)
        {
            yield return $"{path}.maxConcurrency: use 1 to 64; got {MaxConcurrency}.";
        }

        if (QuarantineInterval < Interval || QuarantineInterval > TimeSpan.FromDays(1))
        {
            yield return $"{path}.quarantineInterval: use the job's interval up to 1.00:00:00; got {QuarantineInterval}.";
        }

        if (DriftScanInterval != TimeSpan.Zero && (DriftScanInterval < TimeSpan.FromMinutes(5) || DriftScanInterval > TimeSpan.FromDays(30)))
        {
            yield return $"{path}.driftScanInterval: use 00:05:00 to 30.00:00:00, or 00:00:00 to scan only on demand; got {DriftScanInterval}.";
        }
    }
}
