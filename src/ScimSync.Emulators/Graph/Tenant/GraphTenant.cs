using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScimSync.Emulators.Graph.Seeding;

namespace ScimSync.Emulators.Graph.Tenant;

/// <summary>
/// The in-memory Entra ID tenant behind the emulator, and its admin API. Every change takes the next sequence
/// number; delta rounds compare those numbers with the point their token was issued at, so an incremental round
/// returns exactly what changed since, in its latest state. Thread-safe: one lock guards all state.
/// </summary>
public sealed class GraphTenant
{
    private readonly TimeProvider _time;
    private readonly List<UserEntry> _users = [];
    private readonly List<GroupEntry> _groups = [];
    private readonly Dictionary<string, DirectoryEntry> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _memberOf = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<AppRoleAssignmentEntry> _assignments = [];
    private long _sequence;
    private (DateTimeOffset Time, JsonElement Value)? _createdValue;

    private GraphTenant(TimeProvider time, TenantSeed tenant, ServicePrincipalSeed servicePrincipal)
    {
        _time = time;
        TenantId = tenant.Id;
        TenantDisplayName = tenant.DisplayName;
        ServicePrincipal = servicePrincipal;
    }

    public string TenantId { get; }

    public string TenantDisplayName { get; }

    public ServicePrincipalSeed ServicePrincipal { get; }

    internal Lock Gate { get; } = new();

    /// <summary>Users in creation order, hard-deleted ones included (delta reports their removal).</summary>
    internal List<UserEntry> UsersInOrder => _users;

    internal List<GroupEntry> GroupsInOrder => _groups;

    internal List<AppRoleAssignmentEntry> Assignments => _assignments;

    internal long Sequence => _sequence;

    internal TimeProvider Time => _time;

    /// <summary>Builds a tenant from a seed, which is validated first.</summary>
    public static GraphTenant FromSeed(DirectorySeed seed, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var problems = DirectorySeedValidator.Validate(seed);
        if (problems.Count > 0)
        {
            throw new InvalidDataException("The directory seed is not valid:" + Environment.NewLine + "  " +
                                           string.Join(Environment.NewLine + "  ", problems));
        }

        var tenant = new GraphTenant(time ?? TimeProvider.System, seed.Tenant, seed.ServicePrincipal);
        tenant.Load(seed);
        return tenant;
    }

    private void Load(DirectorySeed seed)
    {
        var created = _time.GetUtcNow();
        var blocks = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in seed.Users)
        {
            CreateUser(user.Id, user.Properties, created);
        }

        foreach (var block in seed.GeneratedUsers)
        {
            var ids = new List<string>(block.Count);
            foreach (var user in GeneratedUsers.Expand(block))
            {
                CreateUser(user.Id, user.Properties, created);
                ids.Add(user.Id);
            }

            blocks[block.Key] = ids;
        }

        foreach (var user in seed.Users.Where(user => user.ManagerId is not null))
        {
            var entry = (UserEntry)_byId[user.Id];
            entry.ManagerId = user.ManagerId;
            entry.ManagerSequence = entry.Ordinal;
        }

        foreach (var group in seed.Groups)
        {
            var properties = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase)
            {
                ["displayName"] = GraphValue.From(group.DisplayName)!.Value,
                ["securityEnabled"] = GraphValue.From(group.SecurityEnabled)!.Value,
                ["mailEnabled"] = GraphValue.From(group.MailEnabled)!.Value,
                ["groupTypes"] = GraphValue.From(Array.Empty<string>())!.Value,
            };
            if (group.Description is not null)
            {
                properties["description"] = GraphValue.From(group.Description)!.Value;
            }

            if (group.MailNickname is not null)
            {
                properties["mailNickname"] = GraphValue.From(group.MailNickname)!.Value;
            }

            CreateGroup(group.Id, properties, created);
        }

        foreach (var group in seed.Groups)
        {
            var entry = (GroupEntry)_byId[group.Id];
            var members = group.IncludeGeneratedUsers is null
                ? group.Members
                : group.Members.Concat(blocks[group.IncludeGeneratedUsers]);
            foreach (var member in members)
            {
                Link(entry, _byId[member]);
            }
        }

        foreach (var assignment in seed.AppRoleAssignments)
        {
            CreateAssignment(_byId[assignment.PrincipalId], assignment.AppRoleId);
        }
    }

    // ---- users -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Adds a user. <paramref name="properties"/> are Graph user properties by their Graph names;
    /// <c>userPrincipalName</c> and <c>displayName</c> are required, <c>accountEnabled</c> defaults to true and an
    /// <c>id</c> is generated when none is given. Returns the id.
    /// </summary>
    public string AddUser(IReadOnlyDictionary<string, object?> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        lock (Gate)
        {
            var values = Canonicalize(ObjectType.User, properties, out var id);
            id ??= Guid.NewGuid().ToString();
            RequireNewId(id);
            foreach (var required in (string[])["userPrincipalName", "displayName"])
            {
                if (!values.TryGetValue(required, out var value) || value.ValueKind != JsonValueKind.String)
                {
                    throw new GraphTenantException(GraphTenantError.Invalid, $"A new user needs '{required}' as a string.");
                }
            }

            RequireUniqueUpn(values["userPrincipalName"].GetString()!, exceptId: null);
            values.TryAdd("accountEnabled", GraphValue.From(true)!.Value);
            CreateUser(id, values, _time.GetUtcNow());
            return id;
        }
    }

    /// <summary>Adds an enabled user with the given UPN and display name; returns the id.</summary>
    public string AddUser(string userPrincipalName, string displayName, string? id = null) =>
        AddUser(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["userPrincipalName"] = userPrincipalName,
            ["displayName"] = displayName,
        });

    /// <summary>Changes user properties (null clears one). Only properties whose value differs count as changed.</summary>
    public void UpdateUser(string id, IReadOnlyDictionary<string, object?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (Gate)
        {
            var user = ActiveUser(id);
            var values = CanonicalizeChanges(ObjectType.User, changes);
            if (values.TryGetValue("userPrincipalName", out var upn))
            {
                if (upn is not { ValueKind: JsonValueKind.String })
                {
                    throw new GraphTenantException(GraphTenantError.Invalid, "userPrincipalName cannot be cleared.");
                }

                RequireUniqueUpn(upn.Value.GetString()!, user.Id);
            }

            Apply(user, values);
        }
    }

    public void UpdateUser(string id, string property, object? value) =>
        UpdateUser(id, new Dictionary<string, object?> { [property] = value });

    public void DisableUser(string id) => UpdateUser(id, "accountEnabled", false);

    public void EnableUser(string id) => UpdateUser(id, "accountEnabled", true);

    /// <summary>Sets or (with null) clears a user's manager.</summary>
    public void SetManager(string userId, string? managerId)
    {
        lock (Gate)
        {
            var user = ActiveUser(userId);
            if (managerId is not null)
            {
                ActiveUser(managerId);
            }

            SetManager(user, managerId is null ? null : _byId[managerId].Id);
        }
    }

    /// <summary>
    /// Moves a user to deleted items, as Entra does: group memberships are removed (and come back on restore);
    /// delta reports the user with <c>@removed</c> reason <c>changed</c>.
    /// </summary>
    public void SoftDeleteUser(string id)
    {
        lock (Gate)
        {
            var user = ActiveUser(id);
            user.SuspendedMemberships.Clear();
            foreach (var group in GroupsContaining(user.Id))
            {
                user.SuspendedMemberships.Add(group.Id);
                Unlink(group, user.Id);
            }

            user.State = ObjectState.SoftDeleted;
            user.StateSequence = Next();
            user.Set("deletedDateTime", GraphValue.From(_time.GetUtcNow()), user.StateSequence);
        }
    }

    /// <summary>Restores a soft-deleted user with the group memberships it had.</summary>
    public void RestoreUser(string id)
    {
        lock (Gate)
        {
            var user = Find(id) as UserEntry ?? throw NotFound("user", id);
            if (user.State != ObjectState.SoftDeleted)
            {
                throw new GraphTenantException(GraphTenantError.Conflict,
                    $"User '{id}' is {user.State}; only a soft-deleted user can be restored.");
            }

            user.State = ObjectState.Active;
            user.StateSequence = Next();
            user.Set("deletedDateTime", null, user.StateSequence);
            foreach (var groupId in user.SuspendedMemberships)
            {
                if (_byId.TryGetValue(groupId, out var group) && group is GroupEntry { IsActive: true } active)
                {
                    Link(active, user);
                }
            }

            user.SuspendedMemberships.Clear();
        }
    }

    /// <summary>
    /// Deletes a user permanently (from active or from deleted items): memberships, assignments and manager links
    /// to it go too; delta reports <c>@removed</c> reason <c>deleted</c>.
    /// </summary>
    public void HardDeleteUser(string id)
    {
        lock (Gate)
        {
            var user = Find(id) as UserEntry ?? throw NotFound("user", id);
            if (user.State == ObjectState.HardDeleted)
            {
                throw NotFound("user", id);
            }

            foreach (var group in GroupsContaining(user.Id))
            {
                Unlink(group, user.Id);
            }

            _assignments.RemoveAll(assignment => string.Equals(assignment.PrincipalId, user.Id, StringComparison.OrdinalIgnoreCase));
            foreach (var report in _users.Where(other => other.IsActive &&
                         string.Equals(other.ManagerId, user.Id, StringComparison.OrdinalIgnoreCase)))
            {
                SetManager(report, null);
            }

            user.SuspendedMemberships.Clear();
            user.State = ObjectState.HardDeleted;
            user.StateSequence = Next();
        }
    }

    // ---- groups ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Adds a group; <c>displayName</c> is required, <c>securityEnabled</c> defaults to true, <c>mailEnabled</c> to
    /// false. Returns the id.
    /// </summary>
    public string AddGroup(IReadOnlyDictionary<string, object?> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        lock (Gate)
        {
            var values = Canonicalize(ObjectType.Group, properties, out var id);
            id ??= Guid.NewGuid().ToString();
            RequireNewId(id);
            if (!values.TryGetValue("displayName", out var name) || name.ValueKind != JsonValueKind.String)
            {
                throw new GraphTenantException(GraphTenantError.Invalid, "A new group needs 'displayName' as a string.");
            }

            values.TryAdd("securityEnabled", GraphValue.From(true)!.Value);
            values.TryAdd("mailEnabled", GraphValue.From(false)!.Value);
            values.TryAdd("groupTypes", GraphValue.From(Array.Empty<string>())!.Value);
            CreateGroup(id, values, _time.GetUtcNow());
            return id;
        }
    }

    public string AddGroup(string displayName, string? id = null, string? description = null) =>
        AddGroup(new Dictionary<string, object?> { ["id"] = id, ["displayName"] = displayName, ["description"] = description });

    public void UpdateGroup(string id, IReadOnlyDictionary<string, object?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (Gate)
        {
            var group = ActiveGroup(id);
            var values = CanonicalizeChanges(ObjectType.Group, changes);
            if (values.TryGetValue("displayName", out var name) && name is not { ValueKind: JsonValueKind.String })
            {
                throw new GraphTenantException(GraphTenantError.Invalid, "displayName cannot be cleared.");
            }

            Apply(group, values);
        }
    }

    public void RenameGroup(string id, string displayName) =>
        UpdateGroup(id, new Dictionary<string, object?> { ["displayName"] = displayName });

    /// <summary>
    /// Moves a group to deleted items (Microsoft 365 groups are restorable for 30 days): delta reports it with
    /// <c>@removed</c> reason <c>changed</c> (graph-delta.md §2), appRoleAssignedTo stops listing its assignments, and
    /// its members stay with it for a restore.
    /// </summary>
    public void SoftDeleteGroup(string id)
    {
        lock (Gate)
        {
            var group = ActiveGroup(id);
            group.State = ObjectState.SoftDeleted;
            group.StateSequence = Next();
            group.Set("deletedDateTime", GraphValue.From(_time.GetUtcNow()), group.StateSequence);
        }
    }

    /// <summary>Restores a soft-deleted group with its members and assignments; delta returns it in full.</summary>
    public void RestoreGroup(string id)
    {
        lock (Gate)
        {
            var group = Find(id) as GroupEntry ?? throw NotFound("group", id);
            if (group.State != ObjectState.SoftDeleted)
            {
                throw new GraphTenantException(GraphTenantError.Conflict,
                    $"Group '{id}' is {group.State}; only a soft-deleted group can be restored.");
            }

            group.State = ObjectState.Active;
            group.StateSequence = Next();
            group.Set("deletedDateTime", null, group.StateSequence);
        }
    }

    /// <summary>Deletes a group permanently; parent groups lose it as a member and its assignments go.</summary>
    public void DeleteGroup(string id)
    {
        lock (Gate)
        {
            var group = ActiveGroup(id);
            foreach (var parent in GroupsContaining(group.Id))
            {
                Unlink(parent, group.Id);
            }

            foreach (var edge in group.PresentMembers.ToList())
            {
                Unlink(group, edge.MemberId);
            }

            _assignments.RemoveAll(assignment => string.Equals(assignment.PrincipalId, group.Id, StringComparison.OrdinalIgnoreCase));
            group.State = ObjectState.HardDeleted;
            group.StateSequence = Next();
        }
    }

    /// <summary>Adds a user or a nested group to a group; returns false when it was a member already.</summary>
    public bool AddMember(string groupId, string memberId)
    {
        lock (Gate)
        {
            var group = ActiveGroup(groupId);
            var member = Find(memberId);
            if (member is null || !member.IsActive)
            {
                throw NotFound("user or group", memberId);
            }

            if (member == group)
            {
                throw new GraphTenantException(GraphTenantError.Invalid, "A group cannot be a member of itself.");
            }

            return Link(group, member);
        }
    }

    /// <summary>Removes a member from a group; returns false when it was not a member.</summary>
    public bool RemoveMember(string groupId, string memberId)
    {
        lock (Gate)
        {
            return Unlink(ActiveGroup(groupId), memberId);
        }
    }

    // ---- assignments -------------------------------------------------------------------------------------------

    /// <summary>
    /// Assigns a user or group to the service principal with an app role (the first role other than Default
    /// Access when none is given). Graph has no delta for assignments; clients read them again each cycle.
    /// Returns the assignment id.
    /// </summary>
    public string Assign(string principalId, Guid? appRoleId = null)
    {
        lock (Gate)
        {
            var principal = Find(principalId);
            if (principal is null || !principal.IsActive)
            {
                throw NotFound("user or group", principalId);
            }

            var role = appRoleId ?? ServicePrincipal.AppRoles.Select(r => r.Id).FirstOrDefault(r => r != Guid.Empty);
            if (!ServicePrincipal.AppRoles.Any(r => r.Id == role))
            {
                throw new GraphTenantException(GraphTenantError.Invalid,
                    $"App role {role} is not defined on service principal '{ServicePrincipal.DisplayName}'.");
            }

            var existing = _assignments.Find(a => a.AppRoleId == role &&
                                                  string.Equals(a.PrincipalId, principal.Id, StringComparison.OrdinalIgnoreCase));
            return existing?.Id ?? CreateAssignment(principal, role).Id;
        }
    }

    /// <summary>Removes a principal's assignments (only the given role's, when one is given); returns how many.</summary>
    public int Unassign(string principalId, Guid? appRoleId = null)
    {
        lock (Gate)
        {
            return _assignments.RemoveAll(a => string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase) &&
                                               (appRoleId is null || a.AppRoleId == appRoleId));
        }
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    /// <summary>A copy of the whole tenant at this moment, for assertions.</summary>
    public GraphTenantSnapshot Snapshot()
    {
        lock (Gate)
        {
            return new GraphTenantSnapshot(
                _sequence,
                _users.Select(ObjectSnapshot).ToList(),
                _groups.Select(ObjectSnapshot).ToList(),
                _assignments.Select(a => new AppRoleAssignmentSnapshot(a.Id, a.PrincipalId, a.PrincipalType, a.AppRoleId)).ToList());
        }
    }

    internal DirectoryEntry? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Users reached from a group through nested groups, each once, in breadth-first order.</summary>
    internal List<DirectoryEntry> TransitiveMembers(GroupEntry root)
    {
        var result = new List<DirectoryEntry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { root.Id };
        var queue = new Queue<GroupEntry>();
        queue.Enqueue(root);
        while (queue.TryDequeue(out var group))
        {
            foreach (var edge in group.PresentMembers.OrderBy(edge => edge.Sequence))
            {
                if (!seen.Add(edge.MemberId) || _byId[edge.MemberId] is not { IsActive: true } member)
                {
                    continue;
                }

                result.Add(member);
                if (member is GroupEntry nested)
                {
                    queue.Enqueue(nested);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The active groups <paramref name="member"/> is a direct member of, or (transitive) reached upwards through
    /// nested groups, each once, in breadth-first order.
    /// </summary>
    internal List<DirectoryEntry> GroupsOf(DirectoryEntry member, bool transitive)
    {
        var result = new List<DirectoryEntry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { member.Id };
        var queue = new Queue<string>();
        queue.Enqueue(member.Id);
        while (queue.TryDequeue(out var id))
        {
            foreach (var group in _groups.Where(group => group.IsActive && group.PresentMembers.Any(edge => string.Equals(edge.MemberId, id, StringComparison.OrdinalIgnoreCase))))
            {
                if (!seen.Add(group.Id))
                {
                    continue;
                }

                result.Add(group);
                if (transitive)
                {
                    queue.Enqueue(group.Id);
                }
            }
        }

        return result;
    }

    private static GraphObjectSnapshot ObjectSnapshot(DirectoryEntry entry) => new(
        entry.Id,
        entry.Type,
        entry.State,
        new Dictionary<string, JsonElement>(entry.Properties, StringComparer.OrdinalIgnoreCase),
        entry is GroupEntry group ? group.PresentMembers.OrderBy(e => e.Sequence).Select(e => e.MemberId).ToList() : [],
        (entry as UserEntry)?.ManagerId);

    // ---- internals ---------------------------------------------------------------------------------------------

    private long Next() => ++_sequence;

    private void CreateUser(string id, IReadOnlyDictionary<string, JsonElement> properties, DateTimeOffset created)
    {
        var user = new UserEntry(id, Next());
        Fill(user, properties, created);
        _users.Add(user);
        _byId.Add(id, user);
    }

    private void CreateGroup(string id, IReadOnlyDictionary<string, JsonElement> properties, DateTimeOffset created)
    {
        var group = new GroupEntry(id, Next());
        Fill(group, properties, created);
        _groups.Add(group);
        _byId.Add(id, group);
    }

    private void Fill(DirectoryEntry entry, IReadOnlyDictionary<string, JsonElement> properties, DateTimeOffset created)
    {
        if (_createdValue is not { } cached || cached.Time != created)
        {
            _createdValue = cached = (created, GraphValue.From(created)!.Value);
        }

        entry.Set("createdDateTime", cached.Value, entry.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            entry.Set(GraphProperties.Canonical(entry.Type, name) ?? name, value, entry.Ordinal);
        }
    }

    private AppRoleAssignmentEntry CreateAssignment(DirectoryEntry principal, Guid appRoleId)
    {
        // Graph's assignment ids are 43-character base64url strings derived from the principal; so are these.
        var principalBytes = Guid.TryParse(principal.Id, out var principalGuid)
            ? principalGuid.ToByteArray()
            : SHA256.HashData(Encoding.UTF8.GetBytes(principal.Id))[..16];
        var id = Convert.ToBase64String([.. principalBytes, .. appRoleId.ToByteArray()])
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var assignment = new AppRoleAssignmentEntry(id, principal.Id, principal.Type, appRoleId, _time.GetUtcNow(), Next());
        _assignments.Add(assignment);
        return assignment;
    }

    private bool Link(GroupEntry group, DirectoryEntry member)
    {
        if (group.Edges.TryGetValue(member.Id, out var edge) && edge.Present)
        {
            return false;
        }

        edge ??= new MemberEdge(member.Id, member.Type);
        group.Edges[member.Id] = edge;
        edge.Present = true;
        edge.Sequence = group.LastEdgeSequence = Next();
        group.MemberCount++;
        if (!_memberOf.TryGetValue(member.Id, out var parents))
        {
            _memberOf[member.Id] = parents = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        parents.Add(group.Id);
        return true;
    }

    private bool Unlink(GroupEntry group, string memberId)
    {
        if (!group.Edges.TryGetValue(memberId, out var edge) || !edge.Present)
        {
            return false;
        }

        edge.Present = false;
        edge.Sequence = group.LastEdgeSequence = Next();
        group.MemberCount--;
        _memberOf[memberId].Remove(group.Id);
        return true;
    }

    private List<GroupEntry> GroupsContaining(string memberId) =>
        _memberOf.TryGetValue(memberId, out var parents)
            ? parents.Select(id => (GroupEntry)_byId[id]).OrderBy(g => g.Ordinal).ToList()
            : [];

    private void SetManager(UserEntry user, string? managerId)
    {
        if (string.Equals(user.ManagerId, managerId, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        user.PreviousManagerId = user.ManagerId;
        user.ManagerId = managerId;
        user.ManagerSequence = Next();
    }

    private void Apply(DirectoryEntry entry, Dictionary<string, JsonElement?> values)
    {
        var sequence = _sequence + 1;
        var changed = false;
        foreach (var (name, value) in values)
        {
            // graph-delta.md §3: properties stored outside the main directory store change without a delta entry;
            // the new value shows whenever the object comes back for another reason.
            var tracked = entry.Type != ObjectType.User || !GraphProperties.UntrackedByDelta.Contains(name);
            changed |= entry.Set(name, value, tracked ? sequence : entry.PropertySequence.GetValueOrDefault(name, entry.Ordinal));
        }

        if (changed)
        {
            Next();
        }
    }

    private static Dictionary<string, JsonElement> Canonicalize(ObjectType type, IReadOnlyDictionary<string, object?> properties, out string? id)
    {
        id = null;
        var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in CanonicalizeChanges(type, properties, allowId: true))
        {
            if (string.Equals(name, "id", StringComparison.Ordinal))
            {
                id = value is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;
            }
            else if (value is not null)
            {
                values[name] = value.Value;
            }
        }

        return values;
    }

    private static Dictionary<string, JsonElement?> CanonicalizeChanges(
        ObjectType type, IReadOnlyDictionary<string, object?> changes, bool allowId = false)
    {
        var values = new Dictionary<string, JsonElement?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in changes)
        {
            var canonical = GraphProperties.Canonical(type, name)
                            ?? throw new GraphTenantException(GraphTenantError.Invalid,
                                $"'{name}' is not a Graph {type.ToString().ToLowerInvariant()} property.");
            if (canonical == "id" && !allowId)
            {
                throw new GraphTenantException(GraphTenantError.Invalid, "An object's id cannot change.");
            }

            if (canonical is "createdDateTime" or "deletedDateTime")
            {
                throw new GraphTenantException(GraphTenantError.Invalid, $"'{canonical}' is set by the directory.");
            }

            try
            {
                values[canonical] = GraphValue.From(value);
            }
            catch (ArgumentException error)
            {
                throw new GraphTenantException(GraphTenantError.Invalid, $"{canonical}: {error.Message}");
            }
        }

        return values;
    }

    private void RequireNewId(string id)
    {
        if (_byId.ContainsKey(id))
        {
            throw new GraphTenantException(GraphTenantError.Conflict, $"The id '{id}' is already used in this tenant.");
        }
    }

    private void RequireUniqueUpn(string upn, string? exceptId)
    {
        var clash = _users.Find(user => user.State != ObjectState.HardDeleted &&
                                        !string.Equals(user.Id, exceptId, StringComparison.OrdinalIgnoreCase) &&
                                        user.Properties.TryGetValue("userPrincipalName", out var other) &&
                                        string.Equals(other.GetString(), upn, StringComparison.OrdinalIgnoreCase));
        if (clash is not null)
        {
            throw new GraphTenantException(GraphTenantError.Conflict,
                $"userPrincipalName '{upn}' is already used by user '{clash.Id}' ({clash.State}).");
        }
    }

    private UserEntry ActiveUser(string id) =>
        Find(id) is UserEntry { State: ObjectState.Active } user ? user : throw NotFound("active user", id);

    private GroupEntry ActiveGroup(string id) =>
        Find(id) is GroupEntry { State: ObjectState.Active } group ? group : throw NotFound("group", id);

    private static GraphTenantException NotFound(string what, string id) =>
        new(GraphTenantError.NotFound, $"No {what} has the id '{id}'.");
}
