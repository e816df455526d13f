using ScimSync.Core.Directory;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.GraphDirectory;

/// <summary>The directory reader never hands on a partial object (docs/decisions/004-partial-delta-objects.md).</summary>
public sealed class PartialDeltaObjectReadTests
{
    [Fact]
    public async Task Objects_Graph_sends_with_only_their_changed_properties_are_read_by_id_and_emitted_complete()
    {
        var builder = new DirectorySeedBuilder();
        var users = builder.AddUsers(120);
        var group = builder.AddGroup("Team", users.Take(3), description: "The team");
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = builder.Build(), SendChangedPropertiesOnly = true });
        var mirror = new DirectoryMirror();
        var reader = DirectoryMirror.Reader(emulator);
        await mirror.SyncAsync(reader);

        foreach (var user in users.Take(60))
        {
            emulator.Tenant.UpdateUser(user, "department", "Moved");
        }

        emulator.Tenant.UpdateUser(users[60], "displayName", null);
        emulator.Tenant.UpdateGroup(group, new Dictionary<string, object?> { ["description"] = "Renamed team" });
        emulator.Tenant.AddMember(group, users[61]);
        var before = emulator.DeltaRequests(ObjectType.User);
        await mirror.SyncAsync(reader);

        var upserts = mirror.LastChanges.OfType<ObjectUpserted>().Select(u => u.Source).ToList();
        var readUsers = upserts.Where(s => s.Kind == ObjectKind.User).ToList();
        Assert.Equal(61, readUsers.Count);
        Assert.All(readUsers.Take(60), user =>
        {
            Assert.Equal("Moved", user.GetString("department"));
            Assert.StartsWith("User ", user.GetString("displayName"), StringComparison.Ordinal);
            Assert.EndsWith("@contoso.com", user.GetString("userPrincipalName"), StringComparison.Ordinal);
        });
        var cleared = readUsers.Single(u => u.Id.Value == users[60]);
        Assert.True(cleared.Attributes.ContainsKey("displayName"));
        Assert.Null(cleared.Get("displayName"));
        Assert.Equal("Operations", cleared.GetString("department"));
        var team = Assert.Single(upserts, s => s.Kind == ObjectKind.Group);
        Assert.Equal("Team", team.GetString("displayName"));
        Assert.Equal("Renamed team", team.GetString("description"));
        Assert.Contains(mirror.LastChanges.OfType<MembershipAdded>(), added => added.MemberId.Value == users[61]);

        // One round and the reads by id: 60 users in one page of 100 need two reads of at most 50 ids.
        Assert.Equal(1 + 2, emulator.DeltaRequests(ObjectType.User) - before);
    }
}
