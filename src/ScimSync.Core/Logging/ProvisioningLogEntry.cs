using ScimSync.Core.Identity;

namespace ScimSync.Core.Logging;

/// <summary>What a provisioning log entry records was done to the object (Graph <c>provisioningAction</c>).</summary>
public enum ProvisioningAction
{
    Create,
    Update,
    Disable,
    Delete,

    /// <summary>A deprovision held by the deletion guard.</summary>
    StagedDelete,
    Other,
}

/// <summary>How an entry or a step ended (Graph <c>provisioningResult</c>).</summary>
public enum ProvisioningStatus
{
    Success,
    Failure,
    Skipped,
    Warning,
}

/// <summary>The stages a change passes through (Graph <c>provisioningStepType</c>).</summary>
public enum ProvisioningStepType
{
    Import,
    Scoping,
    Matching,
    Processing,
    ReferenceResolution,
    Export,
}

/// <summary>Whether a failure is the service's or the target's (Graph <c>provisioningErrorInfo.errorCategory</c>).</summary>
public enum ProvisioningErrorCategory
{
    Failure,
    NonServiceFailure,
    Success,
}

/// <summary>
/// One change to one object, shaped like Microsoft Graph's <c>provisioningObjectSummary</c> so admins read it the way
/// they read Entra's provisioning logs.
/// </summary>
public sealed record ProvisioningLogEntry
{
    /// <summary>Unique id of the entry.</summary>
    public required string Id { get; init; }

    public required JobId Job { get; init; }

    /// <summary>The cycle that caused the change ("Unique ID per job iteration").</summary>
    public required string CycleId { get; init; }

    /// <summary>Unique id of this change in the cycle; the work-item id.</summary>
    public required string ChangeId { get; init; }

    public required DateTimeOffset ActivityDateTime { get; init; }

    public required ProvisioningAction Action { get; init; }

    public required ProvisioningStatus Status { get; init; }

    public required ProvisionedIdentity SourceIdentity { get; init; }

    /// <summary>The object in the target, once known.</summary>
    public ProvisionedIdentity? TargetIdentity { get; init; }

    public IReadOnlyList<ProvisioningStep> Steps { get; init; } = [];

    /// <summary>Attributes the change set, with old and new values (hidden for redacted attributes).</summary>
    public IReadOnlyList<ModifiedProperty> ModifiedProperties { get; init; } = [];

    /// <summary>Why the change failed or was skipped, and what to do about it.</summary>
    public ProvisioningErrorInfo? Error { get; init; }

    public int DurationInMilliseconds { get; init; }

    /// <summary>Who started it: <c>system</c> for a scheduled cycle, or the admin who provisioned on demand.</summary>
    public string InitiatedBy { get; init; } = "system";
}

/// <summary>An object on either side (Graph <c>provisionedIdentity</c>).</summary>
/// <param name="Id">Its id in its system.</param>
/// <param name="DisplayName">Its display name, when known.</param>
/// <param name="IdentityType">User or Group.</param>
public sealed record ProvisionedIdentity(string Id, string? DisplayName, string IdentityType);

/// <summary>One stage of a change (Graph <c>provisioningStep</c>).</summary>
public sealed record ProvisioningStep(
    ProvisioningStepType Type,
    ProvisioningStatus Status,
    string Name,
    string Description,
    IReadOnlyDictionary<string, string>? Details = null);

/// <summary>Why a change failed (Graph <c>provisioningErrorInfo</c>).</summary>
/// <param name="ErrorCode">Entra's code where one applies, e.g. <c>DuplicateTargetEntries</c>.</param>
/// <param name="Reason">What happened, in plain words.</param>
/// <param name="RecommendedAction">What the admin can do.</param>
/// <param name="AdditionalDetails">The target's own words (SCIM <c>detail</c>), when it gave any.</param>
/// <param name="Category">Whose failure it is.</param>
public sealed record ProvisioningErrorInfo(
    string ErrorCode,
    string Reason,
    string? RecommendedAction = null,
    string? AdditionalDetails = null,
    ProvisioningErrorCategory Category = ProvisioningErrorCategory.Failure);
