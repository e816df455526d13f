using ScimSync.Core.Identity;

namespace ScimSync.Core.Logging;

/// <summary>Which provisioning log entries to read. Unset filters match everything.</summary>
public sealed record ProvisioningLogQuery(JobId Job)
{
    /// <summary>Earliest activity time (inclusive); defaults to the start of the retention period.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Latest activity time (inclusive); defaults to now.</summary>
    public DateTimeOffset? To { get; init; }

    public ProvisioningStatus? Status { get; init; }

    public ProvisioningAction? Action { get; init; }

    /// <summary>The source object's id (Entra object id).</summary>
    public string? SourceId { get; init; }

    /// <summary>The target object's id.</summary>
    public string? TargetId { get; init; }

    public string? CycleId { get; init; }
}

/// <summary>One page of entries, newest first, and the token for the next page (null at the end).</summary>
public sealed record ProvisioningLogPage(IReadOnlyList<ProvisioningLogEntry> Entries, string? ContinuationToken);
