using System.Diagnostics;

namespace ScimSync.Core.Diagnostics;

/// <summary>
/// The names a host subscribes to for ScimSync's traces and metrics (an OpenTelemetry exporter, a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>). Core only emits; exporting is the host's choice.
/// </summary>
public static class ScimSyncTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and of the meter.</summary>
    public const string Name = "ScimSync";

    /// <summary>Spans for one cycle (<c>scimsync.cycle</c>) and one work item (<c>scimsync.work_item</c>).</summary>
    internal static readonly ActivitySource Source = new(Name);
}
