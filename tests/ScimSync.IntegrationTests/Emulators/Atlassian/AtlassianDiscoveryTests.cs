using System.Net;
using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

public sealed class AtlassianDiscoveryTests(AtlassianEmulatorFixture fixture) : IClassFixture<AtlassianEmulatorFixture>
{
    [Fact]
    public async Task ServiceProviderConfig_states_patch_and_filter_but_no_bulk_sort_etag_or_password_change()
    {
        // atlassian-scim-api.md §2 (endpoint), §3 (100 per page, no sorting), §9 (PATCH)
        using var client = fixture.Fresh();

        using var response = await client.GetAsync("ServiceProviderConfig");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var config = await response.ReadObjectAsync();
        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
        Assert.False(config["bulk"]!["supported"]!.GetValue<bool>());
        Assert.True(config["filter"]!["supported"]!.GetValue<bool>());
        Assert.Equal(100, config["filter"]!["maxResults"]!.GetValue<int>());
        Assert.False(config["etag"]!["supported"]!.GetValue<bool>());
        Assert.False(config["changePassword"]!["supported"]!.GetValue<bool>());
        Assert.False(config["sort"]!["supported"]!.GetValue<bool>());
        Assert.Equal("oauthbearertoken", config["authenticationSchemes"]![0].Text("type"));
    }

    [Fact]
    public async Task Schemas_lists_user_group_and_enterprise_schemas_and_serves_each_by_urn()
    {
        // atlassian-scim-api.md §2: /Schemas and /Schemas/{urn} for User, Group and the enterprise extension
        using var client = fixture.Fresh();

        var list = await (await client.GetAsync("Schemas")).ReadObjectAsync();
        using var user = await client.GetAsync("Schemas/" + ScimHttp.UserSchema);
        using var group = await client.GetAsync("Schemas/" + ScimHttp.GroupSchema);
        using var enterprise = await client.GetAsync("Schemas/" + ScimHttp.EnterpriseSchema);
        using var unknown = await client.GetAsync("Schemas/urn:example:nothing");

        Assert.Equal([ScimHttp.UserSchema, ScimHttp.GroupSchema, ScimHttp.EnterpriseSchema],
            list["Resources"]!.AsArray().Select(s => s.Text("id")));
        var userSchema = await user.ReadObjectAsync();
        Assert.Contains(userSchema["attributes"]!.AsArray(), a => a.Text("name") == "userName" && a!["required"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, group.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enterprise.StatusCode);
        await unknown.AssertScimErrorAsync(404, null);
    }

    [Fact]
    public async Task ResourceTypes_lists_User_and_Group()
    {
        // atlassian-scim-api.md §2: /ResourceTypes, /ResourceTypes/User, /ResourceTypes/Group
        using var client = fixture.Fresh();

        var list = await (await client.GetAsync("ResourceTypes")).ReadObjectAsync();
        var user = await (await client.GetAsync("ResourceTypes/User")).ReadObjectAsync();
        using var group = await client.GetAsync("ResourceTypes/Group");

        Assert.Equal(["User", "Group"], list["Resources"]!.AsArray().Select(t => t.Text("id")));
        Assert.Equal("/Users", user.Text("endpoint"));
        Assert.Equal(ScimHttp.UserSchema, user.Text("schema"));
        Assert.Equal(HttpStatusCode.OK, group.StatusCode);
    }

    [Fact]
    public async Task An_unknown_path_gets_a_SCIM_404()
    {
        // atlassian-scim-api.md §2: only the listed endpoints exist
        using var client = fixture.Fresh();

        using var response = await client.GetAsync("Bulk");

        await response.AssertScimErrorAsync(404, null);
    }
}
