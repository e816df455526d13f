using ScimSync.Core.Logging;

namespace ScimSync.Admin.Json;

/// <summary>One page of provisioning log entries, newest first.</summary>
/// <param name="Entries">The entries.</param>
/// <param name="ContinuationToken">Pass it back as <c>continuationToken</c> for the next page; null at the end.</param>
public sealed record AdminLogPage(IReadOnlyList<ProvisioningLogEntry> Entries, string? ContinuationToken);
