using System.Runtime.CompilerServices;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scoping;

/// <summary>A membership graph in process memory, fed with directory changes; for tests and single-run tools.</summary>
public sealed class InMemoryMembershipGraph : IMembershipGraph
{
    private readonly Dictionary<SourceId, Dictionary<SourceId, ObjectKind>> _members = [];
    private readonly Dictionary<SourceId, HashSet<SourceId>> _groupsOf = [];
    private readonly Lock _lock = new();

    /// <summary>Applies membership edges; a hard-deleted object loses its memberships both ways.</summary>
    public void Apply(DirectoryChange change)
    {
        lock (_lock)
        {
            switch (change)
            {
                case MembershipAdded added:
                    (_members.TryGetValue(added.GroupId, out var members) ? members : _members[added.GroupId] = [])[added.MemberId] = added.MemberKind;
                    (_groupsOf.TryGetValue(added.MemberId, out var groups) ? groups : _groupsOf[added.MemberId] = []).Add(added.GroupId);
                    break;
                case MembershipRemoved removed:
                    Unlink(removed.GroupId, removed.MemberId);
                    break;
                case ObjectHardDeleted deleted:
                    foreach (var group in _groupsOf.GetValueOrDefault(deleted.Id)?.ToList() ?? [])
                    {
                        Unlink(group, deleted.Id);
                    }
                    foreach (var member in _members.GetValueOrDefault(deleted.Id)?.Keys.ToList() ?? [])
                    {
                        Unlink(deleted.Id, member);
                    }
                    break;
            }
        }
    }

    /// <summary>Every membership, as the change that adds it; not to be enumerated while the graph changes.</summary>
    public IEnumerable<MembershipAdded> Memberships() =>
        _members.SelectMany(group => group.Value.Select(member => new MembershipAdded(group.Key, member.Key, member.Value)));

    /// <summary>Every group with its direct members; not to be enumerated while the graph changes.</summary>
    public IEnumerable<(SourceId Group, IReadOnlyDictionary<SourceId, ObjectKind> Members)> Groups() =>
        _members.Select(group => (group.Key, (IReadOnlyDictionary<SourceId, ObjectKind>)group.Value));

    public async IAsyncEnumerable<DirectoryMember> GetMembersAsync(SourceId groupId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<DirectoryMember> snapshot;
        lock (_lock)
        {
            snapshot = _members.GetValueOrDefault(groupId)?.Select(m => new DirectoryMember(m.Key, m.Value)).ToList() ?? [];
        }
        foreach (var member in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return member;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async IAsyncEnumerable<SourceId> GetGroupsOfAsync(SourceId memberId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<SourceId> snapshot;
        lock (_lock)
        {
            snapshot = _groupsOf.GetValueOrDefault(memberId)?.ToList() ?? [];
        }
        foreach (var group in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return group;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private void Unlink(SourceId group, SourceId member)
    {
        if (_members.TryGetValue(group, out var members))
        {
            members.Remove(member);
        }
        if (_groupsOf.TryGetValue(member, out var groups))
        {
            groups.Remove(group);
        }
    }
}
