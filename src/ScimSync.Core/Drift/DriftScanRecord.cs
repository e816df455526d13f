using ScimSync.Core.Directory;

namespace ScimSync.Core.Drift;

/// <summary>What the last drift scan of a job found, kept for the schedule and the status page.</summary>
public sealed record DriftScanRecord
{
    /// <summary>When the last scan ran.</summary>
    public DateTimeOffset? LastScanAt { get; init; }

    /// <summary>The last scan's id, as its provisioning log entries carry it.</summary>
    public string? LastScanId { get; init; }

    /// <summary>When the next scheduled scan is due; null when the job scans only on demand.</summary>
    public DateTimeOffset? NextScanAt { get; init; }

    /// <summary>The last scan's counts.</summary>
    public DriftScanCounts Counts { get; init; } = new();

    /// <summary>The differences the last scan found on managed objects, repaired or not.</summary>
    public IReadOnlyList<DriftNotice> Notices { get; init; } = [];
}

/// <summary>How much a scan read and found.</summary>
public sealed record DriftScanCounts
{
    public int UsersRead { get; init; }

    public int GroupsRead { get; init; }

    public int Requests { get; init; }

    public int Findings { get; init; }

    public int Repaired { get; init; }

    public int ForeignObjects { get; init; }

    /// <summary>Changes waiting on a warning (a value the target did not keep, members not applied) that the scan made due again.</summary>
    public int WarningsRetried { get; init; }

    /// <summary>Why the target's list could not be trusted, if it could not.</summary>
    public string? PagingProblem { get; init; }
}

/// <summary>A difference on a managed object that a scan found.</summary>
/// <param name="Kind">User or group.</param>
/// <param name="SourceId">The Entra object id.</param>
/// <param name="DisplayName">The object's name.</param>
/// <param name="Drift">What differs.</param>
/// <param name="Description">What differs, in plain words.</param>
/// <param name="FirstSeenAt">When a scan first found it (kept while consecutive scans find it again).</param>
/// <param name="Scans">How many consecutive scans found it.</param>
/// <param name="Repaired">Whether the last scan made it a change for the next cycle.</param>
public sealed record DriftNotice(
    ObjectKind Kind, string SourceId, string? DisplayName, DriftKind Drift, string Description, DateTimeOffset FirstSeenAt, int Scans, bool Repaired)
{
    /// <summary>
    /// An admin should look: the difference was only reported (repair is off, or the repair could not be recorded),
    /// or a repair did not hold, because the next scan found it again.
    /// </summary>
    public bool NeedsAdmin => !Repaired || Scans > 1;
}
