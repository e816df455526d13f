using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;

namespace ScimSync.Core.Diagnostics;

/// <summary>
/// ScimSync's instruments, on a meter named <see cref="ScimSyncTelemetry.Name"/> created by the host's
/// <see cref="IMeterFactory"/> (so each service provider, and each test, has its own).
/// </summary>
public sealed class ScimSyncMetrics
{
    /// <summary>Seconds one cycle took, tagged by job and how it ended.</summary>
    public const string CycleDuration = "scimsync.cycle.duration";

    /// <summary>Work items handled, tagged by job, object kind, operation and outcome.</summary>
    public const string WorkItems = "scimsync.work_items";

    /// <summary>Seconds one SCIM request attempt took, tagged by job, HTTP method and status code.</summary>
    public const string ScimRequestDuration = "scimsync.scim.request.duration";

    private readonly Histogram<double> _cycleDuration;
    private readonly Counter<long> _workItems;
    private readonly Histogram<double> _scimRequestDuration;

    public ScimSyncMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ScimSyncTelemetry.Name);
        _cycleDuration = meter.CreateHistogram<double>(CycleDuration, "s", "Duration of a provisioning cycle");
        _workItems = meter.CreateCounter<long>(WorkItems, "{item}", "Work items handled, by outcome");
        _scimRequestDuration = meter.CreateHistogram<double>(ScimRequestDuration, "s", "Duration of a SCIM request attempt, by method and status");
    }

    internal void RecordCycle(JobId job, CycleStatus status, TimeSpan duration) =>
        _cycleDuration.Record(duration.TotalSeconds, new TagList
        {
            { "scimsync.job", job.Value },
            { "scimsync.cycle.status", status.ToString() },
        });

    internal void RecordWorkItem(WorkItem item, WorkItemResult result) =>
        _workItems.Add(1, new TagList
        {
            { "scimsync.job", item.Job.Value },
            { "scimsync.object.kind", item.Kind.ToString() },
            { "scimsync.operation", item.Operation.ToString() },
            { "scimsync.outcome", result.ToString() },
        });

    /// <param name="job">The job the request belongs to.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="statusCode">The response's status code, or null when no response came.</param>
    /// <param name="errorType">Why no response came (the exception's type), or null.</param>
    /// <param name="duration">How long the attempt took.</param>
    internal void RecordScimRequest(JobId job, string method, int? statusCode, string? errorType, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "scimsync.job", job.Value },
            { "http.request.method", method },
        };
        if (statusCode is { } code)
        {
            tags.Add("http.response.status_code", code);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _scimRequestDuration.Record(duration.TotalSeconds, tags);
    }
}
