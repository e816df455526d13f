using Microsoft.Extensions.Logging.Abstractions;
using ScimSync.Core.Directory;
using ScimSync.Core.Scoping;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.GraphDirectory;

/// <summary>
/// What a sync engine would know after applying the reader's batches: users, groups, soft-deleted users and direct
/// memberships, plus the saved deltaLinks. Compared with the emulator's tenant to show that no change is lost.
/// </summary>
internal sealed class DirectoryMirror
{
    public static readonly string[] UserAttributes = ["displayName", "userPrincipalName", "department", "mail", "manager"];
    public static readonly string[] GroupAttributes = ["displayName", "description"];

    public Dictionary<string, SourceObject> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, SourceObject> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> SoftDeleted { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, HashSet<string>> Members { get; } = new(StringComparer.OrdinalIgnoreCase);

    public InMemoryMembershipGraph Memberships { get; } = new();

    public string? UsersLink { get; set; }

    public string? GroupsLink { get; set; }

    /// <summary>The changes of the last round, per kind.</summary>
    public List<DirectoryChange> LastChanges { get; } = [];

    public static GraphDirectoryReader Reader(GraphEmulator emulator) =>
        new(Client(emulator), NullLogger<GraphDirectoryReader>.Instance);

    public static Microsoft.Graph.GraphServiceClient Client(GraphEmulator emulator) =>
        GraphClientBuilder.Build(new GraphSourceOptions
        {
            BaseUrl = emulator.BaseUrl, Credential = GraphCredentialKind.StaticToken, ClientSecret = emulator.AccessToken, RetryDelaySeconds = 1,
        });

    /// <summary>Reads one round of users then groups; returns how each ended. Links are saved only on completion.</summary>
    public async Task<(DeltaRoundEnd Users, DeltaRoundEnd Groups)> SyncAsync(GraphDirectoryReader reader)
    {
        LastChanges.Clear();
        var users = await RoundAsync(reader, ObjectKind.User);
        var groups = await RoundAsync(reader, ObjectKind.Group);
        return (users, groups);
    }

    private async Task<DeltaRoundEnd> RoundAsync(GraphDirectoryReader reader, ObjectKind kind)
    {
        var link = kind == ObjectKind.User ? UsersLink : GroupsLink;
        var attributes = kind == ObjectKind.User ? UserAttributes : GroupAttributes;
        await foreach (var batch in reader.ReadAsync(new DeltaReadRequest(kind, link, attributes)))
        {
            foreach (var change in batch.Changes)
            {
                Apply(change);
            }
            switch (batch.End)
            {
                case DeltaRoundCompleted completed when kind == ObjectKind.User:
                    UsersLink = completed.DeltaLink;
                    return completed;
                case DeltaRoundCompleted completed:
                    GroupsLink = completed.DeltaLink;
                    return completed;
                case DeltaResyncRequired resync:
                    return resync;
            }
        }
        throw new InvalidOperationException("The round ended without a deltaLink or a resync");
    }

    public void Apply(DirectoryChange change)
    {
        LastChanges.Add(change);
        Memberships.Apply(change);
        switch (change)
        {
            case ObjectUpserted { Source: var source }:
                var objects = source.Kind == ObjectKind.User ? Users : Groups;
                objects[source.Id.Value] = objects.TryGetValue(source.Id.Value, out var known)
                    ? source.Attributes.Aggregate(known, (merged, attribute) => merged.With(attribute.Key, attribute.Value))
                    : source;
                SoftDeleted.Remove(source.Id.Value);
                break;
            case ObjectSoftDeleted soft:
                Users.Remove(soft.Id.Value);
                Groups.Remove(soft.Id.Value);
                SoftDeleted.Add(soft.Id.Value);
                break;
            case ObjectHardDeleted hard:
                Users.Remove(hard.Id.Value);
                Groups.Remove(hard.Id.Value);
                Members.Remove(hard.Id.Value);
                SoftDeleted.Remove(hard.Id.Value);
                break;
            case MembershipAdded added:
                (Members.TryGetValue(added.GroupId.Value, out var members) ? members : Members[added.GroupId.Value] = new(StringComparer.OrdinalIgnoreCase))
                    .Add(added.MemberId.Value);
                break;
            case MembershipRemoved removed:
                Members.GetValueOrDefault(removed.GroupId.Value)?.Remove(removed.MemberId.Value);
                break;
        }
    }

    /// <summary>Asserts that the mirror holds exactly the tenant's active users and groups, their names and memberships.</summary>
    public void AssertMatches(GraphTenantSnapshot tenant)
    {
        var activeUsers = tenant.ActiveUsers.ToDictionary(u => u.Id, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(activeUsers.Keys.Order(StringComparer.OrdinalIgnoreCase), Users.Keys.Order(StringComparer.OrdinalIgnoreCase));
        foreach (var (id, user) in activeUsers)
        {
            Assert.Equal(user.DisplayName, Users[id].GetString("displayName"));
            Assert.Equal(user.Properties["accountEnabled"].GetBoolean(), Users[id].Get("accountEnabled")!.Value.GetBoolean());
        }
        var activeGroups = tenant.ActiveGroups.ToList();
        Assert.Equal(activeGroups.Select(g => g.Id).Order(StringComparer.OrdinalIgnoreCase), Groups.Keys.Order(StringComparer.OrdinalIgnoreCase));
        foreach (var group in activeGroups)
        {
            Assert.Equal(group.DisplayName, Groups[group.Id].GetString("displayName"));
            Assert.Equal(
                group.MemberIds.Order(StringComparer.OrdinalIgnoreCase),
                (Members.GetValueOrDefault(group.Id) ?? []).Order(StringComparer.OrdinalIgnoreCase));
        }
    }
}
