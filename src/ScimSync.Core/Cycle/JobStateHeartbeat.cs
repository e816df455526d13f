using System.Globalization;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Cycle;

/// <summary>
/// Logs one line with a job's state after each of its cycles, so a log query can alert on a job that is
/// quarantined, holds deletions or has stopped completing cycles. The message template is a contract: the alert rule
/// in infra/app/alerts.bicep parses the rendered line with it, whatever telemetry pipeline carried it.
/// </summary>
public sealed partial class JobStateHeartbeat(JobStateStore jobStates, ILogger<JobStateHeartbeat> logger)
{
    /// <summary>The message template; every value it renders is a single word or empty, so the line parses back.</summary>
    public const string MessageTemplate = "Job {Job} is {Status} after cycle {CycleId}: last cycle {LastCycleOutcome} at {LastCycleAt}";

    /// <summary>Reads the job's state and logs it; never throws, since a missing report must not fail a cycle.</summary>
    public async Task ReportAsync(JobId job, string cycleId, CancellationToken cancellationToken = default)
    {
        try
        {
            var state = (await jobStates.GetAsync(job, cancellationToken).ConfigureAwait(false))?.Value ?? new JobState(job);
            var last = state.LastCycle;
            var at = last is null ? string.Empty : (last.CompletedAt ?? last.StartedAt).UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            LogState(logger, job, state.Status, cycleId, last?.Outcome, at);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogUnavailable(logger, exception, job);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = MessageTemplate)]
    private static partial void LogState(ILogger logger, JobId job, JobStatus status, string cycleId, CycleOutcome? lastCycleOutcome, string lastCycleAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: state unavailable for the state report")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, JobId job);
}
