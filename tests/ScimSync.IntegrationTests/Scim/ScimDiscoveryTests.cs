using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Scim;

/// <summary>
/// A SCIM target that says (and enforces) it has no PATCH and no filtering, with small pages: the client reads that
/// from discovery and uses PUT, client-side matching and the smaller page size instead.
/// </summary>
public sealed class ScimDiscoveryTests(ScimDiscoveryTests.LimitedScimmyServer server)
    : IClassFixture<ScimDiscoveryTests.LimitedScimmyServer>, IDisposable
{
    private readonly ScimTestHost _host = new(server.Token);
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Discovery_finds_no_patch_no_filter_and_the_smaller_page_size()
    {
        var client = _host.Client(server.BaseUrl, ScimTargetProfiles.GenericScim.Name);

        var capabilities = await client.DiscoverAsync();

        Assert.False(capabilities.PatchSupported);
        Assert.False(capabilities.FilterSupported);
        Assert.Equal(25, capabilities.MaxResults);
        Assert.Equal(25, client.PageSize);
    }

    [Fact]
    public async Task Without_patch_updates_are_full_replaces_and_without_filters_matching_is_done_by_the_client()
    {
        var client = _host.Client(server.BaseUrl, ScimTargetProfiles.GenericScim.Name);
        await client.DiscoverAsync();
        var desired = ScimUsers.User($"put.{_run}@example.com");
        for (var i = 0; i < 30; i++)
        {
            await client.CreateAsync(ObjectKind.User, ScimUsers.User($"other{i}.{_run}@example.com"));
        }

        var created = await client.CreateOrAdoptAsync(ObjectKind.User, desired);
        var adopted = await client.CreateOrAdoptAsync(ObjectKind.User, desired);
        var changed = desired.With("displayName", ScimUsers.Json("\"Put Person\""));
        var updated = await client.UpdateAsync(ObjectKind.User, created.Resource.Id, created.Resource.Attributes, changed);

        Assert.True(adopted.Adopted);
        Assert.Equal(created.Resource.Id, adopted.Resource.Id);
        Assert.Equal("Put Person", updated!.GetString("displayName"));
        Assert.Equal("Put Person", (await client.GetAsync(ObjectKind.User, created.Resource.Id)).GetString("displayName"));
    }

    [Fact]
    public async Task Without_patch_group_members_are_changed_by_replacing_the_member_list()
    {
        var client = _host.Client(server.BaseUrl, ScimTargetProfiles.GenericScim.Name);
        await client.DiscoverAsync();
        var users = new List<Core.Identity.TargetId>();
        for (var i = 0; i < 5; i++)
        {
            users.Add((await client.CreateAsync(ObjectKind.User, ScimUsers.User($"m{i}.{_run}@example.com"))).Id);
        }

        var group = await client.CreateAsync(ObjectKind.Group, ScimAttributes.Empty.With("displayName", JsonSerializer.SerializeToElement($"Put team {_run}")));
        await client.AddMembersAsync(group.Id, users);
        await client.RemoveMembersAsync(group.Id, users.Take(2));

        var read = await client.GetAsync(ObjectKind.Group, group.Id);
        Assert.Equal(users.Skip(2).ToHashSet(), read.Members.ToHashSet());
        Assert.Equal($"Put team {_run}", read.GetString("displayName"));
    }

    public sealed class LimitedScimmyServer : ScimmyServerFixture
    {
        protected override IEnumerable<string> Arguments => ["--patch", "false", "--filter", "false", "--max-results", "25"];
    }
}
