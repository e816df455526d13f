using System.Net;
using Microsoft.Extensions.Logging;

namespace ScimSync.Core.Scim;

// Paths are logged without their query: filters carry user names and e-mail addresses.
internal static partial class ScimClientLog
{
    [LoggerMessage(1, LogLevel.Debug, "SCIM {Method} {Path} answered {Status} for job {JobId}")]
    public static partial void Answered(ILogger logger, string method, string path, HttpStatusCode status, string jobId);

    [LoggerMessage(2, LogLevel.Warning, "SCIM {Method} {Path} failed for job {JobId}: {Classification} {Status} {ScimType} {TraceId}")]
    public static partial void Failed(ILogger logger, string method, string path, string jobId, ScimErrorClassification classification, HttpStatusCode? status, string? scimType, string? traceId);

    [LoggerMessage(3, LogLevel.Information, "SCIM create of a {Kind} for job {JobId} was {Reason}; adopted the existing {TargetId} found by {MatchAttribute}")]
    public static partial void Adopted(ILogger logger, Directory.ObjectKind kind, string jobId, string reason, string targetId, string matchAttribute);

    [LoggerMessage(4, LogLevel.Information, "SCIM target of job {JobId} offers PATCH={Patch}, filter={Filter}, maxResults={MaxResults}")]
    public static partial void Discovered(ILogger logger, string jobId, bool patch, bool filter, int? maxResults);
}
