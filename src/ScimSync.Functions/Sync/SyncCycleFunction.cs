using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Core.Scheduling;

namespace ScimSync.Functions.Sync;

/// <summary>At each tick of <c>SyncSchedule</c>, runs the cycles of the jobs that are due (Core decides which).</summary>
public sealed partial class SyncCycleFunction(DueCycleRunner dueCycles, ILogger<SyncCycleFunction> logger)
{
    [Function(nameof(SyncCycleFunction))]
    public async Task RunAsync([TimerTrigger("%SyncSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var cycles = await dueCycles.RunDueAsync(cancellationToken);
        foreach (var cycle in cycles)
        {
            LogCycle(logger, cycle.Job, cycle.Report.Status, cycle.Report.Enqueued, cycle.NextCycleAt, cycle.Report.Message);
        }

        if (cycles.Count == 0)
        {
            LogNothingDue(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: cycle {Status}, {Enqueued} work items enqueued; next cycle at {NextCycleAt}. {Message}")]
    private static partial void LogCycle(ILogger logger, JobId job, CycleStatus status, int enqueued, DateTimeOffset nextCycleAt, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No job is due")]
    private static partial void LogNothingDue(ILogger logger);
}
