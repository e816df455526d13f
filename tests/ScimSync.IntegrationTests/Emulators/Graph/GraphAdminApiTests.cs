using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;

namespace ScimSync.IntegrationTests.Emulators.Graph;

/// <summary>The /_admin HTTP API the CLI and demos use to change the emulated tenant.</summary>
public sealed class GraphAdminApiTests
{
    [Fact]
    public async Task Changes_made_through_the_admin_API_appear_in_the_next_delta_round()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var client = GraphSdk.Client(emulator);
        using var admin = new HttpClient();
        var initial = await GraphDeltaTests.ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["displayName", "accountEnabled", "department"]));
        var alex = initial.Items.Single(user => user.DisplayName == "Alex Wilber").Id;
        var adele = initial.Items.Single(user => user.DisplayName == "Adele Vance").Id;

        using var created = await admin.PostAsync(new Uri(emulator.AdminUrl + "/users"),
            JsonContent.Create(new Dictionary<string, object> { ["userPrincipalName"] = "api.user@contoso.com", ["displayName"] = "Api User", ["department"] = "Legal" }));
        using var disabled = await admin.PostAsync(new Uri($"{emulator.AdminUrl}/users/{alex}/disable"), null);
        using var patched = await admin.PatchAsync(new Uri($"{emulator.AdminUrl}/users/{adele}"), JsonContent.Create(new Dictionary<string, object> { ["department"] = "Research" }));
        using var duplicate = await admin.PostAsync(new Uri(emulator.AdminUrl + "/users"),
            JsonContent.Create(new Dictionary<string, object> { ["userPrincipalName"] = "api.user@contoso.com", ["displayName"] = "Again" }));
        using var unknown = await admin.PostAsync(new Uri($"{emulator.AdminUrl}/users/{Guid.NewGuid()}/softDelete"), null);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var next = await GraphDeltaTests.ReadUsersAsync(client,
            await new Microsoft.Graph.Users.Delta.DeltaRequestBuilder(initial.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());
        Assert.Equal(new[] { adele, alex, id }.Order(), next.Items.Select(user => user.Id).Order());
        Assert.Equal("Research", next.Items.Single(user => user.Id == adele).Department);
    }

    [Fact]
    public async Task The_admin_API_switches_token_expiry_forced_resync_and_faults()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var admin = new HttpClient();

        using var gone = await admin.PutAsync(new Uri(emulator.AdminUrl + "/tokens/gone"), JsonContent.Create(new { enabled = true }));
        using var expire = await admin.PostAsync(new Uri(emulator.AdminUrl + "/tokens/expire"), null);
        using var faults = await admin.PutAsync(new Uri(emulator.AdminUrl + "/faults"), JsonContent.Create(new { requestsPerSecond = 5, latencyMs = 1 }));
        using var badFault = await admin.PutAsync(new Uri(emulator.AdminUrl + "/faults"), JsonContent.Create(new { requestsPerMinute = 5 }));
        var state = await admin.GetFromJsonAsync<JsonElement>(new Uri(emulator.AdminUrl + "/state"));

        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, expire.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, faults.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badFault.StatusCode);
        Assert.True(emulator.Controls.RespondGone);
        Assert.Equal(1, emulator.Controls.TokenGeneration);
        Assert.Equal(5, emulator.Faults.RequestsPerSecond);
        Assert.Equal(410, state.GetProperty("users").GetProperty("active").GetInt32());
        Assert.Equal(11, state.GetProperty("groups").GetProperty("active").GetInt32());
        Assert.True(state.GetProperty("respondGone").GetBoolean());
    }

    [Fact]
    public async Task Groups_memberships_and_assignments_change_through_the_admin_API()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(DemoDirectory.Path) });
        using var admin = new HttpClient();
        var user = emulator.Snapshot().ActiveUsers.First().Id;

        using var created = await admin.PostAsync(new Uri(emulator.AdminUrl + "/groups"),
            JsonContent.Create(new Dictionary<string, object> { ["displayName"] = "Pilots", ["description"] = "Early adopters" }));
        var group = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var member = await admin.PostAsync(new Uri($"{emulator.AdminUrl}/groups/{group}/members/{user}"), null);
        using var renamed = await admin.PatchAsync(new Uri($"{emulator.AdminUrl}/groups/{group}"), JsonContent.Create(new Dictionary<string, object> { ["displayName"] = "Pilot users" }));
        using var assigned = await admin.PostAsync(new Uri(emulator.AdminUrl + "/assignments"), JsonContent.Create(new { principalId = group }));
        using var unknownMember = await admin.PostAsync(new Uri($"{emulator.AdminUrl}/groups/{group}/members/{Guid.NewGuid()}"), null);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, member.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownMember.StatusCode);
        var snapshot = emulator.Snapshot();
        Assert.Equal("Pilot users", snapshot.Groups.Single(g => g.Id == group).DisplayName);
        Assert.Equal([user], snapshot.Groups.Single(g => g.Id == group).MemberIds);
        Assert.Contains(snapshot.Assignments, a => a.PrincipalId == group);

        using var unassigned = await admin.DeleteAsync(new Uri($"{emulator.AdminUrl}/assignments/{group}"));
        using var deleted = await admin.DeleteAsync(new Uri($"{emulator.AdminUrl}/groups/{group}"));
        Assert.Equal(HttpStatusCode.OK, unassigned.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain(emulator.Snapshot().Assignments, a => a.PrincipalId == group);
    }
}
