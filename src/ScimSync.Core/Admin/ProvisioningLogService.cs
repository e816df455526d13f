using ScimSync.Core.Configuration;
using ScimSync.Core.Logging;

namespace ScimSync.Core.Admin;

/// <summary>Reads provisioning log entries for an admin, newest first, filtered like Entra's provisioning logs.</summary>
public sealed class ProvisioningLogService(JobCatalog catalog, ProvisioningLogStore store)
{
    /// <summary>The most entries one query returns.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>Up to <paramref name="limit"/> entries matching <paramref name="query"/>, newest first.</summary>
    /// <exception cref="KeyNotFoundException">The job is not in the job file.</exception>
    /// <exception cref="ArgumentException">The query's From is after its To.</exception>
    public async Task<IReadOnlyList<ProvisioningLogEntry>> QueryAsync(
        ProvisioningLogQuery query, int limit = 50, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxEntries);
        catalog.Get(query.Job);
        var entries = new List<ProvisioningLogEntry>();
        string? continuation = null;
        do
        {
            var page = await store.QueryAsync(query, continuation, Math.Min(1000, limit - entries.Count), cancellationToken);
            entries.AddRange(page.Entries);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null && entries.Count < limit);

        return entries.Take(limit).ToList();
    }

    /// <summary>One page of entries and the token for the next (an HTTP API pages with it).</summary>
    public Task<ProvisioningLogPage> QueryPageAsync(
        ProvisioningLogQuery query, string? continuationToken = null, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        catalog.Get(query.Job);
        return store.QueryAsync(query, continuationToken, pageSize, cancellationToken);
    }
}
