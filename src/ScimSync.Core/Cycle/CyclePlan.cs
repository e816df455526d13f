using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Staging;
using ScimSync.Core.State.Watermarks;

namespace ScimSync.Core.Cycle;

/// <summary>An object that failed on its own while the cycle planned it, with what an admin reads about it.</summary>
internal sealed record ObjectFailure(ObjectKind Kind, SourceId Id, string? DisplayName, string Code, string Reason, string RecommendedAction);

/// <summary>Where one kind's delta read ended: the new deltaLink, whether it was a full read, and the watermark it started from.</summary>
internal sealed record KindRead(ObjectKind Kind, string DeltaLink, bool FullRead, int ObjectsRead, Versioned<Watermark>? StartedFrom);

/// <summary>
/// Everything a cycle decided and has not sent yet: the work items, the held deprovisions, the desired membership
/// edges, and the state to save once the items are enqueued. A large cycle may have sent some users' upserts while it
/// read (<see cref="SentAhead"/>); the rest waits for the plan. The commit takes the items, their pending changes and
/// the desired edges out of the plan as it sends them, so that a large plan is let go of as it goes out. An aborted
/// plan carries only the reason.
/// </summary>
internal sealed record CyclePlan
{
    public string? AbortReason { get; init; }

    /// <summary>The work items to send, in the order they go.</summary>
    public Queue<WorkItem> Items { get; init; } = new();

    public IReadOnlyList<StagedAction> Staged { get; init; } = [];

    /// <summary>The edges whose desired state changes, by group.</summary>
    public Dictionary<SourceId, IReadOnlyList<DesiredEdge>> DesiredEdges { get; init; } = [];

    public IReadOnlyList<KindRead> Reads { get; init; } = [];

    public AssignmentSnapshot? Assignments { get; init; }

    /// <summary>The source's memberships as the cycle loaded them.</summary>
    public StoredSourceMemberships StoredEdges { get; init; } = StoredSourceMemberships.Empty;

    /// <summary>The source's memberships after the cycle's reads.</summary>
    public InMemoryMembershipGraph Graph { get; init; } = new();

    /// <summary>Objects that failed on their own while planning (a scoping regex that timed out, a work item too large); nothing else is held back.</summary>
    public IReadOnlyList<ObjectFailure> Failures { get; init; } = [];

    /// <summary>The pending change of every object with work in this plan, each recorded before its work item is enqueued.</summary>
    public Dictionary<(ObjectKind Kind, SourceId SourceId), PendingRecord> Pending { get; init; } = [];

    /// <summary>
    /// The rows of groups marked as having members to send whose stored edges no longer differ from the source's, as
    /// the plan read them: the cycle clears each mark unless it was set again since.
    /// </summary>
    public IReadOnlyList<Versioned<ObjectState>> MembersSettled { get; init; } = [];

    /// <summary>How many work items the cycle sent while it read, before its plan was complete (see <see cref="SyncCycleOptions.MaxHeldObjects"/>).</summary>
    public int SentAhead { get; init; }

    /// <summary>Every work item of the cycle: the ones sent while it read and <see cref="Items"/> as planned.</summary>
    public int ItemCount { get; init; }

    /// <summary>Upserts, sent ahead or not.</summary>
    public int Upserts { get; init; }

    public int Deprovisions { get; init; }

    public int Deletes { get; init; }

    public int MembershipChunks { get; init; }

    public bool FullRead => Reads.Any(read => read.FullRead);

    /// <summary>
    /// True when the job had no state at all: no watermark and no object of either kind. Either the job's first cycle,
    /// or a state store that was lost or emptied.
    /// </summary>
    public bool StartedWithoutState { get; init; }

    /// <summary>How many users a complete listing of the target found while planning; null when the target's users were not listed.</summary>
    public int? TargetUsersListed { get; init; }

    public int Read(ObjectKind kind) => Reads.Where(read => read.Kind == kind).Sum(read => read.ObjectsRead);
}
