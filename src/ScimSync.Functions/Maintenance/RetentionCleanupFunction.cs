using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Retention;

namespace ScimSync.Functions.Maintenance;

/// <summary>At each tick of <c>CleanupSchedule</c>, deletes logs, progress and poison records past their age.</summary>
public sealed partial class RetentionCleanupFunction(RetentionService retention, ILogger<RetentionCleanupFunction> logger)
{
    [Function(nameof(RetentionCleanupFunction))]
    public async Task RunAsync([TimerTrigger("%CleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var removed = await retention.CleanUpAsync(cancellationToken);
        LogRemoved(logger, removed.LogEntries, removed.ProgressRows, removed.PoisonRecords);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: removed {LogEntries} log entries, {ProgressRows} progress rows and {PoisonRecords} poison records")]
    private static partial void LogRemoved(ILogger logger, int logEntries, int progressRows, int poisonRecords);
}
