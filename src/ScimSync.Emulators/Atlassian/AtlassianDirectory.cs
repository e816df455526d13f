using System.Text.Json.Nodes;

namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// The emulated directory's stored state: SCIM users (deleted ones included), groups with their members, and the
/// Atlassian accounts the users link to. Tests read it to check outcomes and seed it to set up situations; the API
/// endpoints go through the same rules. Thread-safe: one lock guards every read and change.
/// </summary>
public sealed class AtlassianDirectory
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly int _maxMembersPerGroup;
    private readonly AtlassianEmulatorOptions _options;
    private readonly HashSet<string> _builtInGroups;

    private readonly List<string> _userOrder = [];
    private readonly Dictionary<string, UserResource> _users = new(StringComparer.Ordinal);

    // userName and email uniqueness are checked without regard to case by default: SCIM's userName is caseExact=false
    // (RFC 7643 §4.1.1) and Atlassian user names are email addresses; UserNameCaseRule.CaseSensitive offers the other
    // reading, since Atlassian does not document it.
    private readonly Dictionary<string, UserResource> _liveByUserName;
    private readonly Dictionary<string, UserResource> _liveByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _accountByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _emailByAccount = new(StringComparer.Ordinal);

    private readonly List<GroupResource> _groups = [];
    private readonly Dictionary<string, GroupResource> _groupsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupResource> _groupsByName = new(StringComparer.OrdinalIgnoreCase);

    internal AtlassianDirectory(AtlassianEmulatorOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _maxMembersPerGroup = options.MaxMembersPerGroup;
        _builtInGroups = new HashSet<string>(options.BuiltInGroupNames, StringComparer.OrdinalIgnoreCase);
        _liveByUserName = new(options.UserNameCase == UserNameCaseRule.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Faults of the stored state: objects lost after their create, values dropped without a word, wrong paging.</summary>
    public AtlassianTargetFaults Faults { get; } = new();

    /// <summary>Every SCIM user record in creation order, including records deleted through DELETE.</summary>
    public IReadOnlyList<AtlassianUser> Users
    {
        get { lock (_gate) { return [.. _userOrder.Select(id => _users[id].ToSnapshot())]; } }
    }

    /// <summary>The users the API still serves (not deleted).</summary>
    public IReadOnlyList<AtlassianUser> LiveUsers => [.. Users.Where(user => !user.IsDeleted)];

    /// <summary>Every group in creation order.</summary>
    public IReadOnlyList<AtlassianGroup> Groups
    {
        get { lock (_gate) { return [.. _groups.Select(group => group.ToSnapshot())]; } }
    }

    /// <summary>Atlassian accounts by email: a new SCIM user with one of these emails links to that account.</summary>
    public IReadOnlyDictionary<string, string> AccountsByEmail
    {
        get { lock (_gate) { return new Dictionary<string, string>(_accountByEmail, StringComparer.OrdinalIgnoreCase); } }
    }

    /// <summary>A user record by id, deleted ones included; null if there is none.</summary>
    public AtlassianUser? FindUser(string id)
    {
        lock (_gate)
        {
            return _users.GetValueOrDefault(id)?.ToSnapshot();
        }
    }

    /// <summary>The live user with this userName (compared without case), or null.</summary>
    public AtlassianUser? FindUserByUserName(string userName)
    {
        lock (_gate)
        {
            return _liveByUserName.GetValueOrDefault(userName)?.ToSnapshot();
        }
    }

    /// <summary>A group by id, or null.</summary>
    public AtlassianGroup? FindGroup(string id)
    {
        lock (_gate)
        {
            return _groupsById.GetValueOrDefault(id)?.ToSnapshot();
        }
    }

    /// <summary>A group by displayName (compared without case), or null.</summary>
    public AtlassianGroup? FindGroupByName(string displayName)
    {
        lock (_gate)
        {
            return _groupsByName.GetValueOrDefault(displayName)?.ToSnapshot();
        }
    }

    /// <summary>Adds an Atlassian account with no SCIM record; returns its account id.</summary>
    public string SeedAccount(string email, string? atlassianAccountId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        lock (_gate)
        {
            var accountId = atlassianAccountId ?? NewAccountId();
            LinkAccount(accountId, email);
            return accountId;
        }
    }

    /// <summary>Adds a user record directly, under the same rules as POST /Users.</summary>
    /// <exception cref="ArgumentException">The user breaks a rule (missing email, duplicate userName or email, …).</exception>
    public AtlassianUser SeedUser(AtlassianSeedUser seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        lock (_gate)
        {
            return Seeding(seed.UserName, () =>
            {
                var now = _time.GetUtcNow();
                var id = seed.Id ?? NewId();
                if (_users.ContainsKey(id))
                {
                    throw new ArgumentException($"A user with id '{id}' already exists.", nameof(seed));
                }

                var user = new UserResource { Id = id, AccountId = string.Empty, Created = now, LastModified = now };
                user.UserName = seed.UserName;
                user.Active = seed.Active ?? true;
                user.Emails.AddRange(seed.Emails ?? [new AtlassianMultiValue(seed.UserName, "work", Primary: true)]);
                user.PhoneNumbers.AddRange(seed.PhoneNumbers ?? []);
                var attributes = new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    [UserAttributes.ExternalId] = seed.ExternalId,
                    [UserAttributes.DisplayName] = seed.DisplayName,
                    ["name.givenName"] = seed.GivenName,
                    ["name.familyName"] = seed.FamilyName,
                };
                foreach (var (path, value) in seed.Attributes ?? new Dictionary<string, string>())
                {
                    attributes[UserAttributes.All.FirstOrDefault(known => known.Equals(path, StringComparison.OrdinalIgnoreCase))
                               ?? throw new ArgumentException($"'{path}' is not a user attribute the emulator stores; use one of: {string.Join(", ", UserAttributes.All)}.", nameof(seed))] = value;
                }

                foreach (var (path, value) in attributes)
                {
                    if (value is not null)
                    {
                        user.Attributes[path] = value;
                    }
                }

                new UserPatcher(user).Validate();
                user.AccountId = seed.AtlassianAccountId ?? AccountFor(user);
                CommitUser(user, previous: null);
                return user.ToSnapshot();
            });
        }
    }

    /// <summary>Adds a group directly; members are user ids or userNames of live users.</summary>
    /// <exception cref="ArgumentException">The group breaks a rule (duplicate name, unknown member, too many members).</exception>
    public AtlassianGroup SeedGroup(AtlassianSeedGroup seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        lock (_gate)
        {
            return Seeding(seed.DisplayName, () =>
            {
                var now = _time.GetUtcNow();
                var group = new GroupResource { Id = seed.Id ?? NewId(), DisplayName = seed.DisplayName, ExternalId = seed.ExternalId, Created = now, LastModified = now };
                if (_groupsById.ContainsKey(group.Id))
                {
                    throw new ArgumentException($"A group with id '{group.Id}' already exists.", nameof(seed));
                }

                foreach (var member in seed.Members ?? [])
                {
                    var user = LiveUser(member) ?? _liveByUserName.GetValueOrDefault(member)
                               ?? throw new ArgumentException($"Group '{seed.DisplayName}' lists member '{member}', which is neither the id nor the userName of a user.", nameof(seed));
                    group.Members.Add(user.Id);
                }

                CommitGroup(group, previous: null);
                return group.ToSnapshot();
            });
        }
    }

    /// <summary>Loads accounts, then users, then groups.</summary>
    public void Seed(AtlassianSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        foreach (var account in seed.Accounts ?? [])
        {
            SeedAccount(account.Email, account.AtlassianAccountId);
        }

        foreach (var user in seed.Users ?? [])
        {
            SeedUser(user);
        }

        foreach (var group in seed.Groups ?? [])
        {
            SeedGroup(group);
        }
    }

    /// <summary>Forgets every user, group and account.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _userOrder.Clear();
            _users.Clear();
            _liveByUserName.Clear();
            _liveByEmail.Clear();
            _accountByEmail.Clear();
            _emailByAccount.Clear();
            _groups.Clear();
            _groupsById.Clear();
            _groupsByName.Clear();
        }

        Faults.Reset();
    }

    internal JsonObject CreateUser(JsonObject body, string baseUrl)
    {
        RequestBody.RequireSchema(body, ScimUrns.User);
        RequireOnePrimaryEmail(body);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var user = new UserResource { Id = NewId(), AccountId = string.Empty, Created = now, LastModified = now };
            var patcher = new UserPatcher(user, _options.EnterpriseExtension);
            patcher.ApplyBody(body);
            patcher.Validate();
            NormalizeUserName(user);
            CheckUnique(user);
            if (!IsVerified(user) && _options.ExternalUsers == ExternalUserRule.Refused)
            {
                // §7, the older rule; the status Atlassian answered with is not documented.
                throw ScimException.InvalidValue(
                    $"A user account can only be created if it has an email address on a verified domain; '{Primary(user)}' is not.");
            }

            if (_users.Values.Count(u => u.Deleted is null) >= _options.MaxUsers)
            {
                if (_options.DirectoryFull == DirectoryFullBehaviour.Refused)
                {
                    throw ScimException.InvalidValue($"The directory has reached its limit of {_options.MaxUsers} users.");
                }

                user.SyncedToOrganization = false;
            }

            user.AccountId = AccountFor(user);
            CommitUser(user, previous: null);
            var answer = RenderUser(user, baseUrl);
            DropIfAsked(user, previous: null);
            return answer;
        }
    }

    /// <summary>Puts back the old value of an attribute a <see cref="AtlassianTargetFaults.DropAttributeNext"/> fault drops, after the answer was rendered with the new one.</summary>
    private void DropIfAsked(UserResource user, UserResource? previous)
    {
        var changed = (string path) => user.Attributes.GetValueOrDefault(path) != previous?.Attributes.GetValueOrDefault(path);
        if (Faults.TakeDrop(changed) is not { } dropped)
        {
            return;
        }

        if (previous?.Attributes.GetValueOrDefault(dropped) is { } old)
        {
            user.Attributes[dropped] = old;
        }
        else
        {
            user.Attributes.Remove(dropped);
        }
    }

    internal JsonObject GetUser(string id, string baseUrl)
    {
        lock (_gate)
        {
            return RenderUser(RequireUser(id), baseUrl);
        }
    }

    internal (int Total, List<JsonObject> Page) ListUsers(EqualityFilter? filter, int startIndex, int count, string baseUrl)
    {
        lock (_gate)
        {
            IEnumerable<UserResource> users = _userOrder.Select(id => _users[id]).Where(user => user.Deleted is null);
            if (filter is not null)
            {
                var attribute = filter.AttributePath;
                if (attribute.StartsWith(ScimUrns.User + ":", StringComparison.OrdinalIgnoreCase))
                {
                    attribute = attribute[(ScimUrns.User.Length + 1)..];
                }

                var value = filter.StringValue ?? throw ScimException.InvalidFilter($"Filter on '{filter.AttributePath}' needs a string value in double quotes.");
                users = attribute.ToUpperInvariant() switch
                {
                    // See _liveByUserName for why userName compares without case; externalId is case-exact (§4).
                    "USERNAME" => _liveByUserName.TryGetValue(value, out var match) ? [match] : [],
                    "EXTERNALID" => users.Where(user => user.Attributes.GetValueOrDefault(UserAttributes.ExternalId) == value),
                    _ => throw ScimException.InvalidFilter($"Filtering users on '{filter.AttributePath}' is not supported; only userName and externalId with eq are."),
                };
            }

            var all = users.ToList();
            var from = Faults.IgnoresStartIndex ? 1 : startIndex;
            return (all.Count + Faults.TotalResultsSkew, [.. all.Skip(from - 1).Take(count).Select(user => RenderUser(user, baseUrl))]);
        }
    }

    internal JsonObject ReplaceUser(string id, JsonObject body, string baseUrl)
    {
        RequestBody.RequireSchema(body, ScimUrns.User);
        RequireOnePrimaryEmail(body);
        lock (_gate)
        {
            var existing = RequireUser(id);

            // PUT cleans every attribute it does not name; id, account link and created are read-only and kept (§2).
            var user = new UserResource
            {
                Id = existing.Id, AccountId = existing.AccountId, Created = existing.Created, LastModified = _time.GetUtcNow(),
                SyncedToOrganization = existing.SyncedToOrganization,
            };
            var patcher = new UserPatcher(user, _options.EnterpriseExtension);
            patcher.ApplyBody(body);
            patcher.Validate();
            NormalizeUserName(user);
            CheckUnique(user);
            CheckEmailChange(user, existing);
            CommitUser(user, existing);
            var answer = RenderUser(user, baseUrl);
            DropIfAsked(user, existing);
            return answer;
        }
    }

    internal JsonObject PatchUser(string id, IReadOnlyList<PatchOperation> operations, string baseUrl)
    {
        lock (_gate)
        {
            var existing = RequireUser(id);
            var user = existing.Clone();
            var patcher = new UserPatcher(user, _options.EnterpriseExtension);
            foreach (var operation in operations)
            {
                patcher.Apply(operation);
            }

            patcher.Validate();
            NormalizeUserName(user);
            CheckUnique(user);
            CheckEmailChange(user, existing);
            user.LastModified = _time.GetUtcNow();
            CommitUser(user, existing);
            var answer = RenderUser(user, baseUrl);
            DropIfAsked(user, existing);
            return answer;
        }
    }

    /// <summary>
    /// DELETE deactivates and unlinks (§6): the record stays in the state for tests but the API answers 404 for it,
    /// its memberships go, and the account link is remembered so a later POST with the same email re-links.
    /// </summary>
    internal void DeleteUser(string id)
    {
        lock (_gate)
        {
            var user = RequireUser(id);
            Unindex(user);
            user.Active = false;
            user.Deleted = user.LastModified = _time.GetUtcNow();
            foreach (var group in _groups.Where(group => group.Members.Remove(id)))
            {
                group.LastModified = user.LastModified;
            }
        }
    }

    internal JsonObject CreateGroup(JsonObject body, string baseUrl)
    {
        RequestBody.RequireSchema(body, ScimUrns.Group);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var group = new GroupResource { Id = NewId(), DisplayName = string.Empty, Created = now, LastModified = now };
            new GroupPatcher(group, UserExists, MembersMissing).ApplyBody(body, replace: true);

            // §8: a clash with a default-access or built-in group "returns success but the group is not synced".
            group.SyncedToSites = !_builtInGroups.Contains(group.DisplayName);
            CommitGroup(group, previous: null);
            return RenderGroup(group, baseUrl);
        }
    }

    internal JsonObject GetGroup(string id, string baseUrl)
    {
        lock (_gate)
        {
            return RenderGroup(RequireGroup(id), baseUrl);
        }
    }

    internal (int Total, List<JsonObject> Page) ListGroups(EqualityFilter? filter, int startIndex, int count, string baseUrl)
    {
        lock (_gate)
        {
            IEnumerable<GroupResource> groups = _groups;
            if (filter is not null)
            {
                var attribute = filter.AttributePath;
                if (attribute.StartsWith(ScimUrns.Group + ":", StringComparison.OrdinalIgnoreCase))
                {
                    attribute = attribute[(ScimUrns.Group.Length + 1)..];
                }

                if (!attribute.Equals("displayName", StringComparison.OrdinalIgnoreCase))
                {
                    throw ScimException.InvalidFilter($"Filtering groups on '{filter.AttributePath}' is not supported; only displayName with eq is.");
                }

                var value = filter.StringValue ?? throw ScimException.InvalidFilter("Filter on displayName needs a string value in double quotes.");

                // Group names compare without case, like their uniqueness (RFC 7643 §4.2: displayName is caseExact=false).
                groups = _groupsByName.TryGetValue(value, out var match) ? [match] : [];
            }

            var all = groups.ToList();
            var from = Faults.IgnoresStartIndex ? 1 : startIndex;
            return (all.Count + Faults.TotalResultsSkew, [.. all.Skip(from - 1).Take(count).Select(group => RenderGroup(group, baseUrl))]);
        }
    }

    internal JsonObject ReplaceGroup(string id, JsonObject body, string baseUrl)
    {
        RequestBody.RequireSchema(body, ScimUrns.Group);
        lock (_gate)
        {
            var existing = RequireGroup(id);
            var group = existing.Clone();

            // PUT with an unknown member answers 400 "the users referenced do not exist" in Java-exception form (§2, §10).
            new GroupPatcher(group, UserExists, _ => new ScimException(400, "invalidValue", "the users referenced do not exist", javaExceptionBody: true),
                    _options.GroupRename, _options.CaseOnlyGroupRename)
                .ApplyBody(body, replace: true);
            group.LastModified = _time.GetUtcNow();
            CommitGroup(group, existing);
            return RenderGroup(group, baseUrl);
        }
    }

    internal JsonObject PatchGroup(string id, IReadOnlyList<PatchOperation> operations, string baseUrl)
    {
        lock (_gate)
        {
            var existing = RequireGroup(id);
            var group = existing.Clone();
            var patcher = new GroupPatcher(group, UserExists, _ => ScimException.NotFound("directory, group, or user does not exist"),
                _options.GroupRename, _options.CaseOnlyGroupRename);
            foreach (var operation in operations)
            {
                patcher.Apply(operation);
            }

            group.LastModified = _time.GetUtcNow();
            CommitGroup(group, existing);
            return RenderGroup(group, baseUrl);
        }
    }

    internal void DeleteGroup(string id)
    {
        lock (_gate)
        {
            var group = RequireGroup(id);
            _groups.Remove(group);
            _groupsById.Remove(id);
            _groupsByName.Remove(group.DisplayName);
        }
    }

    private static T Seeding<T>(string what, Func<T> seed)
    {
        try
        {
            return seed();
        }
        catch (ScimException e)
        {
            throw new ArgumentException($"Cannot seed '{what}': {e.Message}", e);
        }
    }

    private static void RequireOnePrimaryEmail(JsonObject body)
    {
        // On create and replace, "one value must be marked as primary" (§4); PATCH adds demote the old primary instead.
        if (body["emails"] is JsonArray emails
            && emails.Count(email => email is JsonObject e && e["primary"] is { } p && RequestBody.Boolean(p, "emails.primary")) > 1)
        {
            throw ScimException.InvalidValue("Only one email can be marked primary.");
        }
    }

    private UserResource RequireUser(string id) =>
        LiveUser(id) ?? throw ScimException.NotFound($"User '{id}' does not exist in this directory.");

    private UserResource? LiveUser(string id) =>
        _users.TryGetValue(id, out var user) && user.Deleted is null ? user : null;

    private GroupResource RequireGroup(string id) =>
        _groupsById.GetValueOrDefault(id) ?? throw ScimException.NotFound($"Group '{id}' does not exist in this directory.");

    private bool UserExists(string id) => LiveUser(id) is not null;

    private ScimException MembersMissing(string id) =>
        ScimException.InvalidValue($"the users referenced do not exist: '{id}'");

    private void CheckUnique(UserResource user)
    {
        // Atlassian's 409 body names the email (§5); the userName form follows the same pattern.
        if (_liveByUserName.TryGetValue(user.UserName, out var other) && other.Id != user.Id)
        {
            throw ScimException.Uniqueness($"Resource [USER]: with userName[{user.UserName}] already exists.");
        }

        foreach (var email in user.Emails)
        {
            if (_liveByEmail.TryGetValue(email.Value, out other) && other.Id != user.Id)
            {
                throw ScimException.Uniqueness($"Resource [USER]: with email[{email.Value}] already exists.");
            }
        }
    }

    private void NormalizeUserName(UserResource user)
    {
        if (_options.UserNameCase == UserNameCaseRule.Lowercased)
        {
            user.UserName = user.UserName.ToLowerInvariant();
        }
    }

    private static string Primary(UserResource user) => user.Emails.First(email => email.Primary).Value;

    private bool IsVerified(UserResource user)
    {
        if (_options.VerifiedDomains.Count == 0)
        {
            return true;
        }

        var email = Primary(user);
        var domain = email[(email.LastIndexOf('@') + 1)..];
        return _options.VerifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// An email is tied to one Atlassian account (§5): an update to an email another account owns is 409, even when no
    /// live SCIM record holds it. An external user whose email changes is unlinked from its account (§7, ACCESS-1396):
    /// the record gets a new account and leaves its synced groups.
    /// </summary>
    private void CheckEmailChange(UserResource user, UserResource existing)
    {
        var email = Primary(user);
        if (string.Equals(email, Primary(existing), StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (_accountByEmail.TryGetValue(email, out var owner) && owner != existing.AccountId)
        {
            throw ScimException.Uniqueness($"Resource [USER]: with email[{email}] already exists.");
        }

        if (!IsVerified(existing))
        {
            user.AccountId = NewAccountId();
            foreach (var group in _groups.Where(group => group.Members.Remove(user.Id)))
            {
                group.LastModified = _time.GetUtcNow();
            }
        }
    }

    private void CommitUser(UserResource user, UserResource? previous)
    {
        CheckUnique(user);
        if (previous is null)
        {
            _userOrder.Add(user.Id);
        }
        else
        {
            Unindex(previous);
        }

        _users[user.Id] = user;
        _liveByUserName[user.UserName] = user;
        foreach (var email in user.Emails)
        {
            _liveByEmail[email.Value] = user;
        }

        // The account follows its SCIM record's primary email, so a later re-create with that email links to it.
        LinkAccount(user.AccountId, user.Emails.First(email => email.Primary).Value);
    }

    private void LinkAccount(string accountId, string email)
    {
        if (_emailByAccount.TryGetValue(accountId, out var previous))
        {
            _accountByEmail.Remove(previous);
        }

        if (_accountByEmail.TryGetValue(email, out var otherAccount))
        {
            _emailByAccount.Remove(otherAccount);
        }

        _accountByEmail[email] = accountId;
        _emailByAccount[accountId] = email;
    }

    private void Unindex(UserResource user)
    {
        _liveByUserName.Remove(user.UserName);
        foreach (var email in user.Emails)
        {
            if (_liveByEmail.TryGetValue(email.Value, out var owner) && owner.Id == user.Id)
            {
                _liveByEmail.Remove(email.Value);
            }
        }
    }

    private void CommitGroup(GroupResource group, GroupResource? previous)
    {
        if (_groupsByName.TryGetValue(group.DisplayName, out var other) && other.Id != group.Id)
        {
            throw ScimException.Uniqueness("A group with same name already exists");
        }

        if (group.Members.Count > _maxMembersPerGroup)
        {
            throw ScimException.InvalidValue(
                $"Group '{group.DisplayName}' would have {group.Members.Count} members; a group can have at most {_maxMembersPerGroup} users.");
        }

        if (previous is null)
        {
            _groups.Add(group);
        }
        else
        {
            _groups[_groups.IndexOf(previous)] = group;
            _groupsByName.Remove(previous.DisplayName);
        }

        _groupsById[group.Id] = group;
        _groupsByName[group.DisplayName] = group;
    }

    private string AccountFor(UserResource user) =>
        _accountByEmail.GetValueOrDefault(user.Emails.First(email => email.Primary).Value) ?? NewAccountId();

    private JsonObject RenderUser(UserResource user, string baseUrl) =>
        ResourceJson.User(user, _groups.Where(group => group.Members.Contains(user.Id)), baseUrl);

    private JsonObject RenderGroup(GroupResource group, string baseUrl) =>
        ResourceJson.Group(group, LiveUser, baseUrl);

    private static string NewId() => Guid.NewGuid().ToString();

    // Atlassian account ids in real answers are 24 hex digits, e.g. 602bdf457b23f40068547c25 (§4).
    private static string NewAccountId() => Guid.NewGuid().ToString("N")[..24];
}
