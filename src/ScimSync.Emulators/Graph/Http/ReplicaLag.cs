using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Http;

/// <summary>
/// Replication delay between Graph's endpoints (graph-delta.md §3 "replication delays"; §5: assignments "are subject to
/// replication delays"): the delta endpoint sees the tenant as it was a number of Graph requests ago, while
/// appRoleAssignedTo, members and reads by id see it at once. So an assignment can name a user that delta does not
/// return yet, and a change shows in delta only a few requests after it was made.
/// </summary>
internal sealed class ReplicaLag(int requests, GraphTenant tenant)
{
    private readonly Queue<long> _seen = new();

    /// <summary>Records the tenant's sequence as of one more Graph request.</summary>
    public void Observe()
    {
        if (requests == 0)
        {
            return;
        }

        var sequence = CurrentSequence(); // taken before _seen: VisibleSequence holds the tenant's lock, then _seen
        lock (_seen)
        {
            _seen.Enqueue(sequence);
            while (_seen.Count > requests + 1)
            {
                _seen.Dequeue();
            }
        }
    }

    /// <summary>The newest change the delta endpoint may show. Call under the tenant's lock.</summary>
    public long VisibleSequence()
    {
        if (requests == 0)
        {
            return tenant.Sequence;
        }

        lock (_seen)
        {
            // Before the first request the seeded tenant counts as replicated.
            return _seen.Count == 0 ? tenant.Sequence : _seen.Peek();
        }
    }

    private long CurrentSequence()
    {
        lock (tenant.Gate)
        {
            return tenant.Sequence;
        }
    }
}
