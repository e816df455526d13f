using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph.Models.ODataErrors;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using UsersDelta = Microsoft.Graph.Users.Delta;

namespace ScimSync.IntegrationTests.Emulators.Graph;

/// <summary>Delta token lifetime and forced resync (graph-delta.md §3).</summary>
public sealed class GraphDeltaTokenTests
{
    [Fact]
    public async Task A_delta_token_older_than_seven_days_is_answered_with_syncStateNotFound()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small(), TimeProvider = clock });
        using var client = GraphSdk.Client(emulator);
        var round = await GraphDeltaTests.ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync());

        clock.Advance(TimeSpan.FromDays(6));
        var stillValid = await new UsersDelta.DeltaRequestBuilder(round.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync();
        Assert.NotNull(stillValid!.OdataDeltaLink);

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var error = await Assert.ThrowsAsync<ODataError>(() =>
            new UsersDelta.DeltaRequestBuilder(round.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("syncStateNotFound", error.Error!.Code);
        Assert.Contains("delta token is expired", error.Error.Message, StringComparison.Ordinal);
        // The link issued six days in is still young enough.
        Assert.NotNull(await new UsersDelta.DeltaRequestBuilder(stillValid.OdataDeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());
    }

    [Fact]
    public async Task Expiring_all_tokens_invalidates_delta_and_skip_tokens_issued_before()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small(), UserPageSize = 2 });
        using var client = GraphSdk.Client(emulator);
        var first = await client.Users.Delta.GetAsDeltaGetResponseAsync();
        Assert.NotNull(first!.OdataNextLink);

        emulator.Controls.ExpireAllTokens();

        var error = await Assert.ThrowsAsync<ODataError>(() =>
            new UsersDelta.DeltaRequestBuilder(first.OdataNextLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());
        Assert.Equal("syncStateNotFound", error.Error!.Code);
        var restart = await GraphDeltaTests.ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync());
        Assert.Equal(5, restart.Items.Count);
    }

    [Fact]
    public async Task A_forced_resync_answers_410_Gone_with_a_Location_for_a_full_synchronization()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small() });
        using var client = GraphSdk.Client(emulator);
        var round = await GraphDeltaTests.ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync(config =>
            config.QueryParameters.Select = ["displayName", "accountEnabled"]));

        emulator.Controls.RespondGone = true;
        using var http = emulator.CreateClient();
        using var gone = await http.GetAsync(new Uri(round.DeltaLink));

        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        var location = gone.Headers.Location!.ToString();
        Assert.StartsWith(emulator.BaseUrl + "/users/delta?", location, StringComparison.Ordinal);
        Assert.EndsWith("$deltatoken=", location, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await gone.Content.ReadAsStringAsync());
        Assert.Equal("resyncRequired", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        var sdkError = await Assert.ThrowsAsync<ODataError>(() =>
            new UsersDelta.DeltaRequestBuilder(round.DeltaLink, client.RequestAdapter).GetAsDeltaGetResponseAsync());
        Assert.Equal(410, sdkError.ResponseStatusCode);

        // The Location is the initial query again: following it is a full round with the same $select.
        var full = await GraphDeltaTests.ReadUsersAsync(client, await new UsersDelta.DeltaRequestBuilder(location, client.RequestAdapter).GetAsDeltaGetResponseAsync());
        Assert.Equal(5, full.Items.Count);
        Assert.All(full.Items, user => Assert.True(user.AccountEnabled));
        Assert.All(full.Items, user => Assert.Null(user.UserPrincipalName));
    }

    [Fact]
    public async Task A_token_for_another_resource_or_a_garbled_one_is_a_bad_request()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = Small() });
        using var client = GraphSdk.Client(emulator);
        var users = await GraphDeltaTests.ReadUsersAsync(client, await client.Users.Delta.GetAsDeltaGetResponseAsync());
        using var http = emulator.CreateClient();

        using var crossed = await http.GetAsync(new Uri(users.DeltaLink.Replace("/users/", "/groups/", StringComparison.Ordinal)));
        using var garbled = await http.GetAsync(new Uri(emulator.BaseUrl + "/users/delta?$deltatoken=not-a-token"));

        Assert.Equal(HttpStatusCode.BadRequest, crossed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
    }

    private static DirectorySeed Small()
    {
        var builder = new DirectorySeedBuilder();
        builder.AddUsers(5);
        return builder.Build();
    }
}
