using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Queueing;

/// <summary>
/// One unit of work the cycle hands to the worker: a source object and what to do with it, or one slice of a
/// group's membership change. Idempotent by construction: <see cref="Id"/> is derived from the job, the source id,
/// the operation, the chunk number, the content and the re-drive generation (see <see cref="WorkItemId"/>), so the
/// same work enqueued twice, by a cycle repeated after a crash too, carries the same id.
/// </summary>
/// <remarks>
/// A work item is a nudge, never the only record of a change: the cycle records each object's pending change in its
/// state row before it enqueues the item, and later cycles enqueue it again until a worker has settled it.
/// </remarks>
public sealed record WorkItem
{
    /// <summary>The schema version this build writes and reads.</summary>
    /// <remarks>Version 2 added the attempt and resend counts and the generation, and dropped the cycle id from the id.</remarks>
    public const int CurrentSchemaVersion = 2;

    private WorkItem(
        string id, JobId job, string cycleId, ObjectKind kind, SourceId sourceId, WorkOperation operation,
        SourceObject? snapshot, MembershipChunk? membership, DateTimeOffset enqueuedAt, int generation)
    {
        Generation = generation;
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

    /// <summary>
    /// The change this item applies, the same for every re-drive of it: the id the item has in generation 0. A worker
    /// settles an object's pending change only when its item carries that change.
    /// </summary>
    public string ChangeId => Generation == 0
        ? Id
        : WorkItemId.Compute(Job, SourceId, Operation, Membership?.ChunkNumber ?? 0, Snapshot, Membership, 0);

    /// <summary>How many times the cycle had already re-driven this same pending change (part of <see cref="Id"/>).</summary>
    public int Generation { get; }

    /// <summary>
    /// Attempts already spent on this item that count against the object (a failure of the object itself). Attempts
    /// that prove nothing about the object (a throttled or unavailable target, an open circuit) do not count.
    /// </summary>
    public int Attempt { get; private init; }

    /// <summary>How many times the item was sent again for a delayed retry; makes each resend's message id unique.</summary>
    public int Resends { get; private init; }

    /// <summary>
    /// The transport's message id: <see cref="Id"/> for the first send, so duplicate detection drops a repeated cycle's
    /// copy; a distinct id for each delayed resend, which must not be dropped as a duplicate.
    /// </summary>
    public string MessageId => Resends == 0 ? Id : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Id}.{Resends}");

    /// <summary>How many earlier attempts an item carries at most: the latest ones.</summary>
    public const int MaxEarlierAttempts = 10;

    /// <summary>The latest earlier attempts at this item (at most <see cref="MaxEarlierAttempts"/>), oldest first.</summary>
    public IReadOnlyList<AttemptNote> EarlierAttempts { get; private init; } = [];

    /// <summary>
    /// Matching values of an upsert's object that a listing of the target, taken by the cycle, did not hold: the worker
    /// creates the object without looking these values up. Not part of <see cref="Id"/>: the same change listed by
    /// another cycle is the same work.
    /// </summary>
    public IReadOnlyList<AbsentMatch> AbsentMatches { get; private init; } = [];

    /// <summary>The same work, carrying the matching values a listing of the target proved absent.</summary>
    public WorkItem WithAbsentMatches(IReadOnlyList<AbsentMatch> absent) => this with { AbsentMatches = absent };

    /// <summary>
    /// The state row the cycle inserted for the object of an upsert, which had none (see <see cref="Queueing.InsertedRow"/>).
    /// Not part of <see cref="Id"/>; a resend does not carry it.
    /// </summary>
    public InsertedRow? InsertedRow { get; private init; }

    /// <summary>The same work, carrying the state row the cycle inserted for its object.</summary>
    public WorkItem WithInsertedRow(InsertedRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (Operation != WorkOperation.Upsert)
        {
            throw new InvalidOperationException($"Only an upsert carries the row the cycle inserted; this item is a {Operation}.");
        }

        return this with { InsertedRow = row };
    }

    /// <summary>
    /// The same work, to be sent again after a failed attempt; <paramref name="countsAgainstObject"/> adds one to
    /// <see cref="Attempt"/>, and <paramref name="note"/> says what the attempt ended with.
    /// </summary>
    public WorkItem Resend(bool countsAgainstObject, AttemptNote? note = null) => this with
    {
        InsertedRow = null,
        Attempt = countsAgainstObject ? Attempt + 1 : Attempt,
        Resends = Resends + 1,
        EarlierAttempts = note is null ? EarlierAttempts : [.. EarlierAttempts.Append(note).TakeLast(MaxEarlierAttempts)],
    };

    /// <summary>The item as a message of schema version 2 carried it.</summary>
    internal WorkItem WithDeliveryCounts(int attempt, int resends, IReadOnlyList<AttemptNote> earlierAttempts) =>
        this with { Attempt = attempt, Resends = resends, EarlierAttempts = earlierAttempts };

    /// <summary>Create or update <paramref name="snapshot"/> in the target.</summary>
    public static WorkItem Upsert(JobId job, string cycleId, SourceObject snapshot, DateTimeOffset enqueuedAt, int generation = 0)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Create(job, cycleId, snapshot.Kind, snapshot.Id, WorkOperation.Upsert, snapshot, null, enqueuedAt, generation);
    }

    /// <summary>
    /// Deactivate the object in the target. The snapshot is optional: an object that left scope still has one,
    /// a soft-deleted object may not.
    /// </summary>
    public static WorkItem Deprovision(
        JobId job, string cycleId, ObjectKind kind, SourceId sourceId, SourceObject? snapshot, DateTimeOffset enqueuedAt, int generation = 0)
    {
        if (snapshot is not null && (snapshot.Id != sourceId || snapshot.Kind != kind))
        {
            throw new ArgumentException(
                $"The snapshot is {snapshot.Kind} '{snapshot.Id}' but the work item is for {kind} '{sourceId}'.", nameof(snapshot));
        }

        return Create(job, cycleId, kind, sourceId, WorkOperation.Deprovision, snapshot, null, enqueuedAt, generation);
    }

    /// <summary>Delete the object in the target (hard-deleted in the source; no snapshot exists).</summary>
    public static WorkItem Delete(JobId job, string cycleId, ObjectKind kind, SourceId sourceId, DateTimeOffset enqueuedAt, int generation = 0) =>
        Create(job, cycleId, kind, sourceId, WorkOperation.Delete, null, null, enqueuedAt, generation);

    /// <summary>Apply one slice of a group's membership change.</summary>
    public static WorkItem ForMembershipChunk(JobId job, string cycleId, MembershipChunk chunk, DateTimeOffset enqueuedAt, int generation = 0)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.ChunkNumber < 0 || chunk.ChunkNumber >= chunk.ChunkCount)
        {
            throw new ArgumentException(
                $"Chunk number {chunk.ChunkNumber} is outside 0..{chunk.ChunkCount - 1} for group '{chunk.Group}'.", nameof(chunk));
        }

        return Create(job, cycleId, ObjectKind.Group, chunk.Group, WorkOperation.MembershipChunk, null, chunk, enqueuedAt, generation);
    }

    internal static WorkItem Create(
        JobId job, string cycleId, ObjectKind kind, SourceId sourceId, WorkOperation operation,
        SourceObject? snapshot, MembershipChunk? membership, DateTimeOffset enqueuedAt, int generation = 0)
    {
        RequireText(job.Value, nameof(job));
        RequireText(cycleId, nameof(cycleId));
        RequireText(sourceId.Value, nameof(sourceId));
        ArgumentOutOfRangeException.ThrowIfNegative(generation);
        var id = WorkItemId.Compute(job, sourceId, operation, membership?.ChunkNumber ?? 0, snapshot, membership, generation);
        return new WorkItem(id, job, cycleId, kind, sourceId, operation, snapshot, membership, enqueuedAt, generation);
    }

    /// <summary>A version 1 item, whose id included the cycle id; read so that messages queued before an upgrade are still worked.</summary>
    internal static WorkItem CreateVersion1(
        JobId job, string cycleId, ObjectKind kind, SourceId sourceId, WorkOperation operation,
        SourceObject? snapshot, MembershipChunk? membership, DateTimeOffset enqueuedAt)
    {
        RequireText(job.Value, nameof(job));
        RequireText(cycleId, nameof(cycleId));
        RequireText(sourceId.Value, nameof(sourceId));
        return new WorkItem(WorkItemId.ComputeVersion1(job, cycleId, sourceId, operation, membership?.ChunkNumber ?? 0),
            job, cycleId, kind, sourceId, operation, snapshot, membership, enqueuedAt, 0);
    }

    private static void RequireText(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"A work item needs a non-empty {name}.", name);
        }
    }
}
