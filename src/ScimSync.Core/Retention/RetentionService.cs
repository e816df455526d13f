using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Core.Configuration;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Progress;

namespace ScimSync.Core.Retention;

/// <summary>
/// Deletes what is kept only for a while: provisioning log entries, cycle progress rows and poison message records
/// past their age. Hosts call it on a schedule (the cleanup timer, the <c>run</c> loop); running it twice is harmless.
/// </summary>
public sealed partial class RetentionService(
    JobCatalog catalog,
    JobStateStore jobStates,
    ProvisioningLogStore logs,
    ProgressStore progress,
    PoisonMessageStore poison,
    IOptions<RetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<RetentionService> logger)
{
    private readonly RetentionOptions _options = options.Value;

    /// <summary>Deletes every row past its retention and reports how many went.</summary>
    public async Task<RetentionReport> CleanUpAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var logEntries = 0;
        var latestCycles = new List<(Identity.JobId Job, string CycleId)>();
        foreach (var job in catalog.Jobs)
        {
            logEntries += await logs.PurgeAsync(job.Id, cancellationToken);
            if ((await jobStates.GetAsync(job.Id, cancellationToken))?.Value.LastCycle is { } last)
            {
                latestCycles.Add((job.Id, last.CycleId));
            }
        }

        var progressRows = await progress.DeleteOlderThanAsync(now - TimeSpan.FromDays(_options.ProgressDays), latestCycles, cancellationToken);
        var poisonRecords = await poison.DeleteOlderThanAsync(now - TimeSpan.FromDays(_options.PoisonDays), cancellationToken);
        var report = new RetentionReport(logEntries, progressRows, poisonRecords);
        if (report.Total > 0)
        {
            LogCleaned(logger, report.LogEntries, report.ProgressRows, report.PoisonRecords);
        }

        return report;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {LogEntries} log entries, {ProgressRows} progress rows, {PoisonRecords} poison records")]
    private static partial void LogCleaned(ILogger logger, int logEntries, int progressRows, int poisonRecords);
}
