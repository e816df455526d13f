using ScimSync.Core.Identity;

namespace ScimSync.Core.Scoping;

/// <summary>Keeps the last cycle's assignment snapshot per job, so the next cycle can tell who was (un)assigned.</summary>
public interface IAssignmentSnapshotStore
{
    /// <summary>The snapshot saved by the last completed cycle, or null before the first.</summary>
    Task<AssignmentSnapshot?> GetAsync(JobId job, CancellationToken cancellationToken = default);

    /// <summary>Saves the snapshot; call it with the watermark, after the cycle's work is durably enqueued.</summary>
    Task SaveAsync(JobId job, AssignmentSnapshot snapshot, CancellationToken cancellationToken = default);
}
