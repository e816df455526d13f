using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Queueing;

/// <summary>
/// One unit of work the cycle hands to the worker: a source object and what to do with it, or one slice of a
/// group's membership change. Idempotent by construction: <see cref="Id"/> is derived from the job, the cycle, the
/// source id, the operation and the chunk number, so the same work enqueued twice carries the same id.
/// </summary>
public sealed record WorkItem
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    private WorkItem(
        string id, JobId job, string cycleId, ObjectKind kind, SourceId sourceId, WorkOperation operation,
        SourceObject? snapshot, MembershipChunk? membership, DateTimeOffset enqueuedAt)
    {
        Id = id;
        Job = job;
        CycleId = cycleId;
        Kind = kind;
        SourceId = sourceId;
        Operation = operation;
        Snapshot = snapshot;
        Membership = membership;
        EnqueuedAt = enqueuedAt;
    }

    /// <summary>Deterministic id: see <see cref="WorkItemId"/>.</summary>
    public string Id { get; }

    public JobId Job { get; }

    /// <summary>The cycle that produced this item.</summary>
    public string CycleId { get; }

    public ObjectKind Kind { get; }

    public SourceId SourceId { get; }

    public WorkOperation Operation { get; }

    /// <summary>The source object as the cycle read it; null for deletes and membership chunks.</summary>
    public SourceObject? Snapshot { get; }

    /// <summary>The membership slice; set only for <see cref="WorkOperation.MembershipChunk"/>.</summary>
    public MembershipChunk? Membership { get; }

    /// <summary>When the cycle created the item (informational: ordering and age on the status page).</summary>
    public DateTimeOffset EnqueuedAt { get; }

    /// <summary>Create or update <paramref name="snapshot"/> in the target.</summary>
    public static WorkItem Upsert(JobId job, string cycleId, SourceObject snapshot, DateTimeOffset enqueuedAt)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Create(job, cycleId, snapshot.Kind, snapshot.Id, WorkOperation.Upsert, snapshot, null, enqueuedAt);
    }

    /// <summary>
    /// Deactivate the object in the target. The snapshot is optional: an object that left scope still has one,
    /// a soft-deleted object may not.
    /// </summary>
    public static WorkItem Deprovision(
        JobId job, string cycleId, ObjectKind kind, SourceId sourceId, SourceObject? snapshot, DateTimeOffset enqueuedAt)
    {
        if (snapshot is not null && (snapshot.Id != sourceId || snapshot.Kind != kind))
        {
            throw new ArgumentException(
                $"The snapshot is {snapshot.Kind} '{snapshot.Id}' but the work item is for {kind} '{sourceId}'.", nameof(snapshot));
        }

        return Create(job, cycleId, kind, sourceId, WorkOperation.Deprovision, snapshot, null, enqueuedAt);
    }

    /// <summary>Delete the object in the target (hard-deleted in the source; no snapshot exists).</summary>
    public static WorkItem Delete(JobId job, string cycleId, ObjectKind kind, SourceId sourceId, DateTimeOffset enqueuedAt) =>
        Create(job, cycleId, kind, sourceId, WorkOperation.Delete, null, null, enqueuedAt);

    /// <summary>Apply one slice of a group's membership change.</summary>
    public static WorkItem ForMembershipChunk(JobId job, string cycleId, MembershipChunk chunk, DateTimeOffset enqueuedAt)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.ChunkNumber < 0 || chunk.ChunkNumber >= chunk.ChunkCount)
        {
            throw new ArgumentException(
                $"Chunk number {chunk.ChunkNumber} is outside 0..{chunk.ChunkCount - 1} for group '{chunk.Group}'.", nameof(chunk));
        }

        return Create(job, cycleId, ObjectKind.Group, chunk.Group, WorkOperation.MembershipChunk, null, chunk, enqueuedAt);
    }

    internal static WorkItem Create(
        JobId job, string cycleId, ObjectKind kind, SourceId sourceId, WorkOperation operation,
        SourceObject? snapshot, MembershipChunk? membership, DateTimeOffset enqueuedAt)
    {
        RequireText(job.Value, nameof(job));
        RequireText(cycleId, nameof(cycleId));
        RequireText(sourceId.Value, nameof(sourceId));
        var id = WorkItemId.Compute(job, cycleId, sourceId, operation, membership?.ChunkNumber ?? 0);
        return new WorkItem(id, job, cycleId, kind, sourceId, operation, snapshot, membership, enqueuedAt);
    }

    private static void RequireText(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"A work item needs a non-empty {name}.", name);
        }
    }
}
