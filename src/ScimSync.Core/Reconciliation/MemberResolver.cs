using System.Collections.Concurrent;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Where the members of a membership slice stand: the target ids of those ScimSync provisioned, and those it will not
/// provision until their own cause is fixed. A member in neither has a change on its way, and its group waits for it.
/// The reconciliation sends from it; the plan counts from it. Members a recent snapshot of the job's objects shows in the
/// target, or this process provisioned just before, are taken from it (<see cref="TargetIdSnapshots"/>); every other
/// member's state is read by itself.
/// </summary>
internal sealed class MemberResolver(ObjectStateStore objects, TargetIdSnapshots snapshots)
{
    private const int LookupConcurrency = 16;

    /// <param name="job">The job.</param>
    /// <param name="members">The members to resolve.</param>
    /// <param name="fresh">True to read every member's state by itself, never from a snapshot.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<(Dictionary<MemberReference, TargetId> Resolved, Dictionary<MemberReference, RefusedMember> Refused)> ResolveAsync(
        JobId job, IReadOnlyList<MemberReference> members, bool fresh, CancellationToken cancellationToken)
    {
        var resolved = new ConcurrentDictionary<MemberReference, TargetId>();
        var refused = new ConcurrentDictionary<MemberReference, RefusedMember>();
        if (!fresh)
        {
            foreach (var ofKind in members.GroupBy(member => member.Kind))
            {
                var unknown = new List<MemberReference>();
                foreach (var member in ofKind)
                {
                    if (snapshots.TryGetProvisioned(job, member.Kind, member.Id, out var id))
                    {
                        resolved[member] = id;
                    }
                    else
                    {
                        unknown.Add(member);
                    }
                }

                var snapshot = await snapshots.GetAsync(job, ofKind.Key, unknown.Count, cancellationToken).ConfigureAwait(false);
                foreach (var member in unknown)
                {
                    if (snapshot is not null && snapshot.TryGetValue(member.Id, out var id))
                    {
                        resolved[member] = id;
                    }
                }
            }
        }

        await Parallel.ForEachAsync(members.Where(member => !resolved.ContainsKey(member)), new ParallelOptions { MaxDegreeOfParallelism = LookupConcurrency, CancellationToken = cancellationToken }, async (member, ct) =>
        {
            var state = (await objects.GetAsync(job, member.Kind, member.Id, ct).ConfigureAwait(false))?.Value;
            if (state is { TargetId: { } id, Status: not ObjectStatus.Deleted })
            {
                resolved[member] = id;
            }
            else if (state is { TargetId: null } && IsRefused(state))
            {
                refused[member] = new RefusedMember(
                    state.DisplayName ?? $"{member.Kind} {member.Id}",
                    state.LastError?.Code ?? state.Status.ToString(),
                    state.LastError?.Message ?? "it was not provisioned");
            }
        }).ConfigureAwait(false);
        return (new Dictionary<MemberReference, TargetId>(resolved), new Dictionary<MemberReference, RefusedMember>(refused));
    }

    /// <summary>
    /// Not in the target for a reason of its own: escrowed, poisoned, or skipped with no newer change on its way (a
    /// skipped user whose source changed again is waited for).
    /// </summary>
    public static bool IsRefused(ObjectState state) =>
        state.Status == ObjectStatus.Escrowed || state.Pending is { Poisoned: true } || (state.Status == ObjectStatus.Skipped && state.Pending is null);
}

/// <summary>A member the target will not get until its own cause is fixed: its name (a userPrincipalName) and why.</summary>
internal sealed record RefusedMember(string Name, string Code, string Reason)
{
    /// <summary>The members as a log names them: <c>carol@elsewhere.org (InvalidDomain: …)</c>.</summary>
    public static string List(IEnumerable<RefusedMember> members) =>
        ScimValues.List(members.Select(why => $"{why.Name} ({why.Code}: {why.Reason})").ToList());
}
