using System.Collections.Concurrent;
using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Objects;

/// <summary>
/// Recent snapshots of which objects of a job are in the target, and under which target id: one query of the kind's
/// Objects partition (1,000 rows a page, three columns) answers many membership slices, instead of a point read per
/// member. A snapshot is kept for <see cref="MaxAge"/>, and taken only when it costs fewer requests than the point
/// reads of the caller that asks for it; a partition found to need more pages is remembered, so it is not read again
/// for callers with fewer members than that.
/// </summary>
/// <remarks>
/// Objects this process provisioned are added as it records them (<see cref="Provisioned"/>) and answer for
/// <see cref="ProvisionedMaxAge"/>: the members of a slice are found without a read each, whether their creates came
/// right before it or, in a large initial sync, minutes before.
/// A snapshot only says that an object was in the target as X when it was taken. Callers use it for that alone and
/// read by itself every member it does not show, so an object provisioned since is found. An object whose target id
/// changed since (deleted in the target and created again) by another process can be sent with its old id for at most
/// <see cref="MaxAge"/>, or <see cref="ProvisionedMaxAge"/> for one this process provisioned; the target refuses that id, and the retry reads every member by itself. Within one process,
/// the worker that changes a target id drops the snapshot (<see cref="Forget"/>).
/// </remarks>
public sealed class TargetIdSnapshots(StateTables tables, TimeProvider timeProvider)
{
    /// <summary>How long a snapshot answers before a new one is taken.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an object this process provisioned answers. Longer than a snapshot because it costs no read to keep:
    /// only another process changes such a target id, and a slice that sends a stale one is refused and retried.
    /// </summary>
    public static readonly TimeSpan ProvisionedMaxAge = TimeSpan.FromMinutes(15);

    private const int PageSize = 1000;

    private readonly ConcurrentDictionary<(JobId Job, ObjectKind Kind), Lazy<Task<Snapshot?>>> _snapshots = new();
    private readonly ConcurrentDictionary<(JobId Job, ObjectKind Kind), int> _pagesNeeded = new();
    private readonly ConcurrentDictionary<(JobId Job, ObjectKind Kind, SourceId Source), (TargetId Id, DateTimeOffset At)> _provisioned = new();
    private readonly Queue<((JobId, ObjectKind, SourceId) Key, DateTimeOffset At)> _provisionedInOrder = new();
    private readonly Lock _provisionedLock = new();

    /// <summary>
    /// Records that this process just saved <paramref name="source"/> as in the target as <paramref name="target"/>;
    /// it answers as a snapshot does, for <see cref="ProvisionedMaxAge"/>.
    /// </summary>
    public void Provisioned(JobId job, ObjectKind kind, SourceId source, TargetId target)
    {
        var now = timeProvider.GetUtcNow();
        lock (_provisionedLock)
        {
            _provisioned[(job, kind, source)] = (target, now);
            _provisionedInOrder.Enqueue(((job, kind, source), now));
            while (_provisionedInOrder.TryPeek(out var oldest) && now - oldest.At > ProvisionedMaxAge)
            {
                _provisionedInOrder.Dequeue();
                if (_provisioned.TryGetValue(oldest.Key, out var entry) && entry.At == oldest.At)
                {
                    _provisioned.TryRemove(oldest.Key, out _);
                }
            }
        }
    }

    /// <summary>The target id this process recorded for the object within <see cref="ProvisionedMaxAge"/>, if any.</summary>
    public bool TryGetProvisioned(JobId job, ObjectKind kind, SourceId source, out TargetId target)
    {
        if (_provisioned.TryGetValue((job, kind, source), out var entry) && timeProvider.GetUtcNow() - entry.At <= ProvisionedMaxAge)
        {
            target = entry.Id;
            return true;
        }

        target = default;
        return false;
    }

    /// <summary>
    /// The target ids of the kind's objects that are in the target (not deleted there), from a snapshot at most
    /// <see cref="MaxAge"/> old; null when taking one would cost <paramref name="budget"/> requests or more.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="kind">User or group.</param>
    /// <param name="budget">The point reads the snapshot would replace.</param>
    /// <param name="cancellationToken">Stops waiting for the snapshot.</param>
    public async Task<IReadOnlyDictionary<SourceId, TargetId>?> GetAsync(JobId job, ObjectKind kind, int budget, CancellationToken cancellationToken = default)
    {
        var key = (job, kind);
        if (budget < 2 || (_pagesNeeded.TryGetValue(key, out var pages) && pages >= budget))
        {
            return null;
        }

        while (true)
        {
            // Shared by every caller that asks meanwhile; taken without their cancellation for that reason.
            var lazy = _snapshots.GetOrAdd(key, _ => new Lazy<Task<Snapshot?>>(() => TakeAsync(job, kind, maxPages: budget - 1)));
            Snapshot? snapshot;
            try
            {
                snapshot = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
            {
                _snapshots.TryRemove(KeyValuePair.Create(key, lazy));
                throw;
            }

            if (snapshot is null)
            {
                _snapshots.TryRemove(KeyValuePair.Create(key, lazy));
                return null;
            }

            if (timeProvider.GetUtcNow() - snapshot.TakenAt <= MaxAge)
            {
                return snapshot.TargetIds;
            }

            _snapshots.TryRemove(KeyValuePair.Create(key, lazy));
        }
    }

    /// <summary>Drops what is known of the job's objects of the kind: an object's target id changed, or it left the target.</summary>
    public void Forget(JobId job, ObjectKind kind)
    {
        _snapshots.TryRemove((job, kind), out _);
        foreach (var key in _provisioned.Keys.Where(key => key.Job == job && key.Kind == kind))
        {
            _provisioned.TryRemove(key, out _);
        }
    }

    private async Task<Snapshot?> TakeAsync(JobId job, ObjectKind kind, int maxPages)
    {
        var table = await tables.GetAsync(StateTable.Objects).ConfigureAwait(false);
        var takenAt = timeProvider.GetUtcNow();
        var filter = ObjectStateStore.ObjectRowsFilter(job, kind);
        var ids = new Dictionary<SourceId, TargetId>();
        var pages = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, select: ["SourceId", "TargetId", "Status"]).AsPages().ConfigureAwait(false))
        {
            if (++pages > maxPages)
            {
                _pagesNeeded.AddOrUpdate((job, kind), pages, (_, known) => Math.Max(known, pages));
                return null;
            }

            foreach (var row in page.Values)
            {
                if (row.GetString("TargetId") is { } target && row.GetString("SourceId") is { } source
                    && row.GetString("Status") != nameof(ObjectStatus.Deleted))
                {
                    ids[new SourceId(source)] = new TargetId(target);
                }
            }
        }

        _pagesNeeded[(job, kind)] = pages;
        return new Snapshot(ids, takenAt);
    }

    private sealed record Snapshot(IReadOnlyDictionary<SourceId, TargetId> TargetIds, DateTimeOffset TakenAt);
}
