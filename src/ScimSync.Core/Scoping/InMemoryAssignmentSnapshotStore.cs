using System.Collections.Concurrent;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scoping;

/// <summary>An assignment snapshot store in process memory, for tests and single-run tools.</summary>
public sealed class InMemoryAssignmentSnapshotStore : IAssignmentSnapshotStore
{
    private readonly ConcurrentDictionary<JobId, AssignmentSnapshot> _snapshots = new();

    public Task<AssignmentSnapshot?> GetAsync(JobId job, CancellationToken cancellationToken = default) =>
        Task.FromResult(_snapshots.TryGetValue(job, out var snapshot) ? snapshot : null);

    public Task SaveAsync(JobId job, AssignmentSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        _snapshots[job] = snapshot;
        return Task.CompletedTask;
    }
}
