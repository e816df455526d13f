using System.Collections.Concurrent;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Where the members of a membership slice stand: the target ids of those ScimSync provisioned, and those it will not
/// provision until their own cause is fixed. A member in neither has a change on its way, and its group waits for it.
/// The reconciliation sends from it; the plan counts from it.
/// </summary>
internal sealed class MemberResolver(ObjectStateStore objects)
{
    private const int LookupConcurrency = 16;

    public async Task<(Dictionary<MemberReference, TargetId> Resolved, Dictionary<MemberReference, RefusedMember> Refused)> ResolveAsync(
        JobId job, IReadOnlyList<MemberReference> members, CancellationToken cancellationToken)
    {
        var resolved = new ConcurrentDictionary<MemberReference, TargetId>();
        var refused = new ConcurrentDictionary<MemberReference, RefusedMember>();
        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = LookupConcurrency, CancellationToken = cancellationToken }, async (member, ct) =>
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
