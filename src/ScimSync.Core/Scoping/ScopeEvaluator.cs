using System.Runtime.CompilerServices;
using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scoping;

/// <summary>
/// Decides, per object, whether a job provisions it (upsert), disables it (deprovision) or deletes it, with Entra's
/// semantics: scope by assignment, listed groups or all; then scoping filters; then the account's state. Adds the
/// computed attribute <c>IsSoftDeleted</c> to the object.
/// </summary>
/// <remarks>
/// Nested groups: by default (like Entra) only immediate members of an in-scope group are in scope. With
/// <see cref="ScopeDefinition.FlattenNestedGroups"/>, members of groups nested at any depth are in scope and
/// <see cref="GetTargetMembersAsync"/> lists them as members of every enclosing in-scope group. Either way, only the
/// assigned or listed groups themselves are provisioned as groups. Walks of the membership graph keep a visited set,
/// so a cycle of groups cannot loop.
/// </remarks>
public sealed class ScopeEvaluator
{
    private static readonly JsonElement True = JsonSerializer.SerializeToElement(true, ScopingJsonContext.Default.Boolean);
    private static readonly JsonElement False = JsonSerializer.SerializeToElement(false, ScopingJsonContext.Default.Boolean);

    private readonly ScopeDefinition _definition;
    private readonly ScopingFilterSet _filters;
    private readonly IMembershipGraph _memberships;
    private readonly HashSet<SourceId> _listedGroups;

    /// <param name="path">The scope's setting path for error messages, e.g. <c>jobs[0].scope</c>.</param>
    /// <exception cref="ScopeConfigurationException">The definition is invalid; every error names its setting.</exception>
    public ScopeEvaluator(ScopeDefinition definition, IMembershipGraph memberships, string path = "scope")
    {
        var errors = definition.Validate(path);
        if (errors.Count > 0)
        {
            throw new ScopeConfigurationException(errors);
        }
        _definition = definition;
        _filters = ScopingFilterSet.Compile(definition.Filters, $"{path}.filters", definition.RegexTimeout);
        _memberships = memberships;
        _listedGroups = definition.GroupIds.Select(g => new SourceId(g)).ToHashSet();
    }

    /// <summary>The scope definition this evaluator applies.</summary>
    public ScopeDefinition Definition => _definition;

    /// <summary>Decides for a changed or re-evaluated object.</summary>
    /// <param name="assignments">This cycle's assignments (ignored unless the mode is <c>assigned</c>).</param>
    public async Task<ScopeDecision> EvaluateAsync(SourceObject source, AssignmentSnapshot assignments, CancellationToken cancellationToken = default)
    {
        var (inScope, reason, why) = await MembershipScopeAsync(source.Id, source.Kind, assignments, cancellationToken).ConfigureAwait(false);
        if (!inScope)
        {
            return Decide(source, ScopeAction.Deprovision, reason, why, null);
        }

        var filters = _filters.HasFiltersFor(source.Kind) ? _filters.Evaluate(source) : null;
        if (filters is { InScope: false })
        {
            return Decide(source, ScopeAction.Deprovision, ScopeReason.FilteredOut, $"{why}, but {filters.Explanation}", filters);
        }
        var filtered = filters is null ? why : $"{why}; {filters.Explanation}";

        if (source.Kind == ObjectKind.User && source.Get("accountEnabled") is { ValueKind: JsonValueKind.False })
        {
            return Decide(source, ScopeAction.Deprovision, ScopeReason.Disabled, $"{filtered}, but the account is disabled (accountEnabled false)", filters);
        }
        return Decide(source, ScopeAction.Upsert, reason, filtered, filters);
    }

    /// <summary>Decides for an object Graph reported removed: soft delete disables, hard delete deletes.</summary>
    public static ScopeDecision ForRemoval(DirectoryChange removal) => removal switch
    {
        ObjectSoftDeleted soft => new ScopeDecision(soft.Id, soft.Kind, ScopeAction.Deprovision, ScopeReason.SoftDeleted,
            $"{soft.Kind} {soft.Id} was deleted in Entra ID (restorable for 30 days)"),
        ObjectHardDeleted hard => new ScopeDecision(hard.Id, hard.Kind, ScopeAction.Delete, ScopeReason.HardDeleted,
            $"{hard.Kind} {hard.Id} was permanently deleted in Entra ID"),
        _ => throw new ArgumentException($"{removal.GetType().Name} is not a removal", nameof(removal)),
    };

    /// <summary>
    /// The objects whose scope may have changed without a change to the object itself: principals (un)assigned since
    /// the last cycle with, for groups, their members; and members added to or removed from an in-scope group (with
    /// flattening, of any enclosing in-scope group, and the users inside a nested group that moved). The caller
    /// re-evaluates each with its current attributes.
    /// </summary>
    public async Task<IReadOnlySet<DirectoryMember>> GetAffectedAsync(
        AssignmentDiff assignmentChanges, IEnumerable<DirectoryChange> membershipChanges, AssignmentSnapshot assignments,
        CancellationToken cancellationToken = default)
    {
        var affected = new HashSet<DirectoryMember>();
        if (_definition.Mode == ScopeMode.Assigned)
        {
            foreach (var principal in assignmentChanges.Assigned.Concat(assignmentChanges.Unassigned))
            {
                affected.Add(new DirectoryMember(principal.Id, principal.Kind));
                if (principal.Kind == ObjectKind.Group)
                {
                    await AddMembersBelowAsync(principal.Id, affected, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        if (_definition.Mode == ScopeMode.All)
        {
            return affected;
        }
        foreach (var change in membershipChanges)
        {
            var (group, member) = change switch
            {
                MembershipAdded a => (a.GroupId, new DirectoryMember(a.MemberId, a.MemberKind)),
                MembershipRemoved r => (r.GroupId, new DirectoryMember(r.MemberId, r.MemberKind)),
                _ => (default(SourceId), null),
            };
            if (member is null || !await IsWithinScopeRootAsync(group, assignments, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            affected.Add(member);
            if (member.Kind == ObjectKind.Group && _definition.FlattenNestedGroups)
            {
                await AddMembersBelowAsync(member.Id, affected, cancellationToken).ConfigureAwait(false);
            }
        }
        return affected;
    }

    /// <summary>
    /// The members a group should have in the target: its direct users and groups, or with flattening every user
    /// nested below it (each once).
    /// </summary>
    public async IAsyncEnumerable<DirectoryMember> GetTargetMembersAsync(SourceId groupId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_definition.FlattenNestedGroups)
        {
            await foreach (var member in _memberships.GetMembersAsync(groupId, cancellationToken).ConfigureAwait(false))
            {
                yield return member;
            }
            yield break;
        }
        var visitedGroups = new HashSet<SourceId> { groupId };
        var emitted = new HashSet<SourceId>();
        var pending = new Queue<SourceId>([groupId]);
        while (pending.TryDequeue(out var group))
        {
            await foreach (var member in _memberships.GetMembersAsync(group, cancellationToken).ConfigureAwait(false))
            {
                if (member.Kind == ObjectKind.Group)
                {
                    if (visitedGroups.Add(member.Id))
                    {
                        pending.Enqueue(member.Id);
                    }
                }
                else if (emitted.Add(member.Id))
                {
                    yield return member;
                }
            }
        }
    }

    private async Task<(bool InScope, ScopeReason Reason, string Why)> MembershipScopeAsync(
        SourceId id, ObjectKind kind, AssignmentSnapshot assignments, CancellationToken cancellationToken)
    {
        switch (_definition.Mode)
        {
            case ScopeMode.All:
                return (true, ScopeReason.AllObjects, "in scope: the job syncs all users and groups");
            case ScopeMode.Assigned when assignments.IsAssigned(id):
                return (true, ScopeReason.Assigned, $"in scope: {kind} {id} is assigned to the app");
            case ScopeMode.Groups when kind == ObjectKind.Group && _listedGroups.Contains(id):
                return (true, ScopeReason.InListedGroup, $"in scope: group {id} is listed in the scope");
        }
        var outReason = _definition.Mode == ScopeMode.Assigned ? ScopeReason.NotAssigned : ScopeReason.NotInListedGroup;
        if (kind == ObjectKind.Group)
        {
            return (false, outReason, _definition.Mode == ScopeMode.Assigned
                ? $"out of scope: group {id} is not assigned to the app"
                : $"out of scope: group {id} is not listed in the scope");
        }

        var root = await FindScopeRootAboveAsync(id, assignments, cancellationToken).ConfigureAwait(false);
        if (root is { } found)
        {
            var via = found.Depth == 1 ? "a member" : $"a nested member (depth {found.Depth})";
            return _definition.Mode == ScopeMode.Assigned
                ? (true, ScopeReason.Assigned, $"in scope: user {id} is {via} of assigned group {found.Group}")
                : (true, ScopeReason.InListedGroup, $"in scope: user {id} is {via} of listed group {found.Group}");
        }
        var nested = _definition.FlattenNestedGroups ? "at any depth" : "directly (nested groups are not flattened)";
        return (false, outReason, _definition.Mode == ScopeMode.Assigned
            ? $"out of scope: user {id} is neither assigned to the app nor a member {nested} of an assigned group"
            : $"out of scope: user {id} is not a member {nested} of a listed group");
    }

    private bool IsRoot(SourceId group, AssignmentSnapshot assignments) =>
        _definition.Mode == ScopeMode.Assigned ? assignments.IsAssigned(group) : _listedGroups.Contains(group);

    /// <summary>Walks up from a member to the nearest assigned or listed group: one level, or all levels with flattening.</summary>
    private async Task<(SourceId Group, int Depth)?> FindScopeRootAboveAsync(SourceId member, AssignmentSnapshot assignments, CancellationToken cancellationToken)
    {
        var visited = new HashSet<SourceId> { member };
        var level = new List<SourceId> { member };
        for (var depth = 1; level.Count > 0; depth++)
        {
            var next = new List<SourceId>();
            foreach (var current in level)
            {
                await foreach (var group in _memberships.GetGroupsOfAsync(current, cancellationToken).ConfigureAwait(false))
                {
                    if (IsRoot(group, assignments))
                    {
                        return (group, depth);
                    }
                    if (visited.Add(group))
                    {
                        next.Add(group);
                    }
                }
            }
            if (!_definition.FlattenNestedGroups)
            {
                break;
            }
            level = next;
        }
        return null;
    }

    private async Task<bool> IsWithinScopeRootAsync(SourceId group, AssignmentSnapshot assignments, CancellationToken cancellationToken) =>
        IsRoot(group, assignments)
        || (_definition.FlattenNestedGroups && await FindScopeRootAboveAsync(group, assignments, cancellationToken).ConfigureAwait(false) is not null);

    private async Task AddMembersBelowAsync(SourceId group, HashSet<DirectoryMember> affected, CancellationToken cancellationToken)
    {
        var visited = new HashSet<SourceId> { group };
        var pending = new Queue<SourceId>([group]);
        while (pending.TryDequeue(out var current))
        {
            await foreach (var member in _memberships.GetMembersAsync(current, cancellationToken).ConfigureAwait(false))
            {
                if (member.Kind == ObjectKind.User)
                {
                    affected.Add(member);
                }
                else if (_definition.FlattenNestedGroups && visited.Add(member.Id))
                {
                    pending.Enqueue(member.Id);
                }
            }
        }
    }

    private static ScopeDecision Decide(SourceObject source, ScopeAction action, ScopeReason reason, string why, ScopingFilterDecision? filters) =>
        new(source.Id, source.Kind, action, reason, why,
            source.With(ScopeDecision.IsSoftDeletedAttribute, action == ScopeAction.Upsert ? False : True), filters);
}
