using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Cycle;

/// <summary>
/// One cycle's sending, across every batch it hands to <see cref="WaveSender"/>: the upserts it sends while still
/// reading and the rest of its plan share one lease, one budget of time to wait for room, and one count.
/// </summary>
internal sealed class WaveRun(JobId job, CycleLease lease, DateTimeOffset renewedAt, long startedAt)
{
    public JobId Job { get; } = job;

    public CycleLease Lease { get; set; } = lease;

    public DateTimeOffset RenewedAt { get; set; } = renewedAt;

    /// <summary>When the run started, on the queue's clock.</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>How long the cycle has waited for the queue to make room, in all.</summary>
    public TimeSpan Waited { get; set; }

    /// <summary>Work items sent so far.</summary>
    public int Sent { get; set; }

    public int Waves { get; set; }
}
