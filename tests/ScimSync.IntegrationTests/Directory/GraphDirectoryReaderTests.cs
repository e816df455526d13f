using Microsoft.Extensions.Logging.Abstractions;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.GraphDirectory;

public sealed class GraphDirectoryReaderTests : IAsyncLifetime
{
    private GraphEmulator _emulator = null!;
    private IReadOnlyList<string> _users = [];
    private string _sales = "";
    private string _emea = "";
    private string _big = "";

    public async Task InitializeAsync()
    {
        var seed = new DirectorySeedBuilder();
        _users = seed.AddUsers(60, department: "Sales");
        _emea = seed.AddGroup("Sales EMEA", _users.Take(5));
        _sales = seed.AddGroup("Sales", _users.Skip(5).Take(10).Append(_emea));
        _big = seed.AddGroup("Everyone", _users);
        // Small pages, so that rounds span pages and the big group is split into member slices.
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Seed = seed.Build(), UserPageSize = 7, GroupPageSize = 2, MembersPerPage = 13,
        });
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task An_initial_read_returns_every_user_group_and_membership_across_pages_and_member_slices()
    {
        var mirror = new DirectoryMirror();

        var (users, groups) = await mirror.SyncAsync(DirectoryMirror.Reader(_emulator));

        Assert.IsType<DeltaRoundCompleted>(users);
        Assert.IsType<DeltaRoundCompleted>(groups);
        mirror.AssertMatches(_emulator.Snapshot());
        Assert.Equal(60, mirror.Members[_big].Count);
        Assert.Single(mirror.LastChanges.OfType<ObjectUpserted>(), u => u.Source.Id.Value == _big);
        Assert.True(_emulator.DeltaRequests(ObjectType.Group) > 3, "the groups round should have spanned several pages");
    }

    [Fact]
    public async Task Incremental_rounds_carry_edits_disables_soft_and_hard_deletes_restores_and_membership_changes()
    {
        var reader = DirectoryMirror.Reader(_emulator);
        var mirror = new DirectoryMirror();
        await mirror.SyncAsync(reader);
        var tenant = _emulator.Tenant;

        tenant.UpdateUser(_users[0], "displayName", "Renamed User");
        tenant.DisableUser(_users[1]);
        tenant.SoftDeleteUser(_users[2]);
        tenant.SoftDeleteUser(_users[3]);
        tenant.HardDeleteUser(_users[4]);
        tenant.RemoveMember(_sales, _users[6]);
        tenant.AddMember(_emea, _users[40]);
        tenant.RenameGroup(_sales, "Sales (all regions)");
        tenant.SetManager(_users[20], _users[21]);
        await mirror.SyncAsync(reader);

        mirror.AssertMatches(_emulator.Snapshot());
        Assert.Contains(new ObjectSoftDeleted(new SourceId(_users[2]), ObjectKind.User), mirror.LastChanges);
        Assert.Contains(new ObjectHardDeleted(new SourceId(_users[4]), ObjectKind.User), mirror.LastChanges);
        Assert.Contains(new MembershipRemoved(new SourceId(_sales), new SourceId(_users[6]), ObjectKind.User), mirror.LastChanges);
        Assert.Contains(new MembershipAdded(new SourceId(_emea), new SourceId(_users[40]), ObjectKind.User), mirror.LastChanges);
        Assert.False(mirror.Users[_users[1]].Get("accountEnabled")!.Value.GetBoolean());
        Assert.Equal(_users[21], mirror.Users[_users[20]].Get("manager")!.Value.GetProperty("id").GetString());
        Assert.DoesNotContain(mirror.LastChanges.OfType<ObjectUpserted>(), u => u.Source.Id.Value == _users[30]);

        tenant.RestoreUser(_users[2]);
        tenant.AddMember(_sales, _big);
        tenant.RemoveMember(_sales, _emea);
        await mirror.SyncAsync(reader);

        mirror.AssertMatches(_emulator.Snapshot());
        Assert.Contains(_users[2], mirror.Users.Keys);
        Assert.Contains(_users[2], mirror.Members[_emea]);
        Assert.Contains(new MembershipAdded(new SourceId(_sales), new SourceId(_big), ObjectKind.Group), mirror.LastChanges);
        Assert.Contains(new MembershipRemoved(new SourceId(_sales), new SourceId(_emea), ObjectKind.Group), mirror.LastChanges);

        var quiet = await mirror.SyncAsync(reader);
        Assert.Empty(mirror.LastChanges);
        Assert.IsType<DeltaRoundCompleted>(quiet.Users);
    }

    [Fact]
    public async Task A_deleted_group_is_reported_as_hard_deleted_and_its_memberships_go_with_it()
    {
        var reader = DirectoryMirror.Reader(_emulator);
        var mirror = new DirectoryMirror();
        await mirror.SyncAsync(reader);

        _emulator.Tenant.DeleteGroup(_emea);
        await mirror.SyncAsync(reader);

        Assert.Contains(new ObjectHardDeleted(new SourceId(_emea), ObjectKind.Group), mirror.LastChanges);
        Assert.DoesNotContain(new SourceId(_emea), mirror.Memberships.GetGroupsOfAsync(new SourceId(_users[0])).ToBlockingEnumerable());
        mirror.AssertMatches(_emulator.Snapshot());
    }

    [Fact]
    public async Task Removed_objects_in_an_initial_round_are_reported_as_removals_not_upserts()
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(5);
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = seed.Build(), ReportDeletedInInitialRound = true });
        emulator.Tenant.SoftDeleteUser(users[0]);
        emulator.Tenant.HardDeleteUser(users[1]);
        var mirror = new DirectoryMirror();

        await mirror.SyncAsync(DirectoryMirror.Reader(emulator));

        mirror.AssertMatches(emulator.Snapshot());
        Assert.Contains(new ObjectSoftDeleted(new SourceId(users[0]), ObjectKind.User), mirror.LastChanges);
        Assert.Contains(new ObjectHardDeleted(new SourceId(users[1]), ObjectKind.User), mirror.LastChanges);
    }

    [Trait("Category", "Reliability")]
    [Theory]
    [InlineData("expired")]
    [InlineData("gone")]
    public async Task A_dead_delta_token_reports_a_resync_and_the_full_read_that_follows_loses_no_change(string cause)
    {
        var reader = DirectoryMirror.Reader(_emulator);
        var mirror = new DirectoryMirror();
        await mirror.SyncAsync(reader);
        var savedLinks = (mirror.UsersLink, mirror.GroupsLink);

        _emulator.Tenant.UpdateUser(_users[10], "department", "Marketing");
        _emulator.Tenant.HardDeleteUser(_users[11]);
        _emulator.Tenant.SoftDeleteUser(_users[12]);
        _emulator.Tenant.RemoveMember(_emea, _users[0]);
        if (cause == "expired")
        {
            _emulator.Controls.ExpireAllTokens();
        }
        else
        {
            _emulator.Controls.RespondGone = true;
        }

        var (users, groups) = await mirror.SyncAsync(reader);

        Assert.Contains(cause == "expired" ? "syncStateNotFound" : "410 Gone", Assert.IsType<DeltaResyncRequired>(users).Reason, StringComparison.Ordinal);
        Assert.IsType<DeltaResyncRequired>(groups);
        Assert.Equal(savedLinks, (mirror.UsersLink, mirror.GroupsLink));

        _emulator.Controls.RespondGone = false;
        var resynced = new DirectoryMirror();
        var again = await resynced.SyncAsync(reader);

        Assert.IsType<DeltaRoundCompleted>(again.Users);
        resynced.AssertMatches(_emulator.Snapshot());
        // A full read lists what exists; what the job knew and the full read no longer lists was deleted meanwhile.
        var vanished = mirror.Users.Keys.Except(resynced.Users.Keys, StringComparer.OrdinalIgnoreCase).Order().ToList();
        Assert.Equal(new[] { _users[11], _users[12] }.Order(), vanished);
        Assert.Equal("Marketing", resynced.Users[_users[10]].GetString("department"));
        Assert.DoesNotContain(_users[0], resynced.Members[_emea]);
    }

    [Theory]
    [InlineData(ObjectKind.User, "User.Read.All")]
    [InlineData(ObjectKind.Group, "Group.Read.All")]
    public async Task A_missing_permission_fails_with_an_error_that_names_it(ObjectKind kind, string permission)
    {
        _emulator.Controls.DeniedPermission = permission;

        var error = await Assert.ThrowsAsync<GraphAccessDeniedException>(async () =>
        {
            await foreach (var _ in DirectoryMirror.Reader(_emulator).ReadAsync(new DeltaReadRequest(kind, null, ["displayName"])))
            {
            }
        });

        Assert.Equal(403, error.StatusCode);
        Assert.Contains(permission, error.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_throttled_page_is_retried_by_the_Graph_SDK_and_the_round_completes()
    {
        _emulator.Faults.ThrottleNext(2, TimeSpan.FromSeconds(1));
        var mirror = new DirectoryMirror();

        var (users, _) = await mirror.SyncAsync(DirectoryMirror.Reader(_emulator));

        Assert.IsType<DeltaRoundCompleted>(users);
        Assert.Equal(2, _emulator.Counters.Count(RequestOutcome.Throttled));
        mirror.AssertMatches(_emulator.Snapshot());
    }

    [Fact]
    public async Task Objects_can_be_read_by_id_for_re_evaluation_and_deleted_ones_are_not_returned()
    {
        _emulator.Tenant.HardDeleteUser(_users[59]);
        var reader = DirectoryMirror.Reader(_emulator);
        var ids = _users.Skip(1).Select(id => new SourceId(id)).ToList();

        var found = new List<SourceObject>();
        await foreach (var user in reader.GetObjectsAsync(ObjectKind.User, ids, ["displayName", "department"]))
        {
            found.Add(user);
        }

        Assert.Equal(58, found.Count);
        Assert.All(found, u => Assert.Equal("Sales", u.GetString("department")));
    }
}
