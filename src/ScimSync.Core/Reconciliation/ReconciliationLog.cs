using Microsoft.Extensions.Logging;

namespace ScimSync.Core.Reconciliation;

internal static partial class ReconciliationLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Reconciled {Kind} {SourceId} of job {Job} (work item {WorkItemId}): {Result} {Action}")]
    public static partial void Reconciled(ILogger logger, string kind, string sourceId, string job, string workItemId, WorkItemResult result, Logging.ProvisioningAction action);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Reconciling {Kind} {SourceId} of job {Job} ended with {Result}: {ErrorCode} {Reason}")]
    public static partial void Failed(ILogger logger, string kind, string sourceId, string job, WorkItemResult result, string errorCode, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "The state of {Kind} {SourceId} of job {Job} changed while it was reconciled; reading it again (attempt {Attempt})")]
    public static partial void StateChanged(ILogger logger, Directory.ObjectKind kind, string sourceId, string job, int attempt);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Could not write the provisioning log entry or progress for work item {WorkItemId} of job {Job}")]
    public static partial void RecordingFailed(ILogger logger, Exception exception, string workItemId, string job);
}
