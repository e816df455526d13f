using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;
using ScimSync.IntegrationTests.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Faults;

/// <summary>
/// Each fault against the Atlassian emulator. Atlassian documents no 429 behaviour for SCIM (atlassian-scim-api.md §11),
/// so the emulator offers both header styles; 500/503 are documented as retryable (§10).
/// </summary>
public sealed class FaultInjectionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Task<AtlassianScimEmulator> StartAsync(FakeTimeProvider? time = null, ThrottleHeaderStyle style = ThrottleHeaderStyle.RetryAfterSeconds) =>
        AtlassianScimEmulator.StartAsync(new AtlassianEmulatorOptions
        {
            TimeProvider = (TimeProvider?)time ?? TimeProvider.System,
            ThrottleStyle = style,
        });

    // A new client per faulted request: SocketsHttpHandler silently retries a request whose reused connection closed
    // before any answer, which would hide a dropped connection from the test.
    private static HttpClient FreshClient(AtlassianScimEmulator emulator, TimeSpan? timeout = null) => emulator.CreateClient(timeout);

    [Fact]
    public async Task Scheduled_throttling_answers_429_with_Retry_After_seconds_then_serves_again()
    {
        await using var emulator = await StartAsync();
        using var client = emulator.CreateClient();
        emulator.Faults.ThrottleNext(2, TimeSpan.FromSeconds(7));

        using var first = await client.GetAsync("Users");
        using var second = await client.GetAsync("Users");
        using var third = await client.GetAsync("Users");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(2, emulator.Counters.Count("GET /Users", RequestOutcome.Throttled));
        Assert.Equal(1, emulator.Counters.Count("GET /Users", RequestOutcome.Served));
    }

    [Fact]
    public async Task Throttling_in_the_rate_limit_reset_style_sends_an_ISO_8601_reset_time_and_no_Retry_After()
    {
        var time = new FakeTimeProvider(Start);
        await using var emulator = await StartAsync(time, ThrottleHeaderStyle.RateLimitReset);
        using var client = emulator.CreateClient();
        emulator.Faults.ThrottleNext(1, TimeSpan.FromSeconds(30));

        using var response = await client.GetAsync("Users");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        var reset = DateTimeOffset.Parse(response.Headers.GetValues("X-RateLimit-Reset").Single(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.Equal(Start.AddSeconds(30), reset);
        Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task The_requests_per_second_limit_admits_only_the_limit_in_any_second()
    {
        var time = new FakeTimeProvider(Start);
        await using var emulator = await StartAsync(time);
        using var client = emulator.CreateClient();
        emulator.Faults.RequestsPerSecond = 3;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("Users");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            }
        }

        time.Advance(TimeSpan.FromSeconds(1));
        using var afterWaiting = await client.GetAsync("Users");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, afterWaiting.StatusCode);
        Assert.Equal(2, emulator.Counters.Count(RequestOutcome.Throttled));
        Assert.Equal(4, emulator.Counters.Count(RequestOutcome.Served));
    }

    [Fact]
    public async Task The_rate_limit_in_reset_style_names_the_limit_and_when_a_slot_frees()
    {
        var time = new FakeTimeProvider(Start);
        await using var emulator = await StartAsync(time, ThrottleHeaderStyle.RateLimitReset);
        using var client = emulator.CreateClient();
        emulator.Faults.RequestsPerSecond = 1;

        using var admitted = await client.GetAsync("Users");
        time.Advance(TimeSpan.FromMilliseconds(400));
        using var throttled = await client.GetAsync("Users");

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("1", throttled.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("2026-01-01T00:00:01.000Z", throttled.Headers.GetValues("X-RateLimit-Reset").Single());
    }

    [Fact]
    public async Task Scheduled_failures_answer_the_given_5xx_with_a_SCIM_error_and_change_nothing()
    {
        await using var emulator = await StartAsync();
        using var client = emulator.CreateClient();
        emulator.Faults.FailNext(1, 500);
        emulator.Faults.FailNext(1, 503);

        using var first = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com")));
        using var second = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com")));
        using var third = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com")));

        await first.AssertScimErrorAsync(500, null);
        await second.AssertScimErrorAsync(503, null);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
        Assert.Single(emulator.State.Users);
        Assert.Equal(2, emulator.Counters.Count("POST /Users", RequestOutcome.Failed));
    }

    [Fact]
    public async Task A_server_error_share_of_one_fails_every_request_with_500_or_503()
    {
        await using var emulator = await StartAsync();
        using var client = emulator.CreateClient();
        emulator.Faults.ServerErrorShare = 1;

        var statuses = new HashSet<int>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync("Users");
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([500, 503], statuses.Order());
        Assert.Equal(20, emulator.Counters.Count(RequestOutcome.Failed));
    }

    [Fact]
    public async Task A_partial_server_error_share_fails_some_requests_and_the_counters_agree()
    {
        await using var emulator = await StartAsync();
        using var client = emulator.CreateClient();
        emulator.Faults.ServerErrorShare = 0.3;

        var failed = 0;
        for (var i = 0; i < 60; i++)
        {
            using var response = await client.GetAsync("Users");
            failed += (int)response.StatusCode >= 500 ? 1 : 0;
        }

        Assert.InRange(failed, 1, 59);
        Assert.Equal(failed, emulator.Counters.Count(RequestOutcome.Failed));
        Assert.Equal(60 - failed, emulator.Counters.Count(RequestOutcome.Served));
    }

    [Fact]
    public async Task A_dropped_connection_gives_the_client_no_response_and_the_change_does_not_happen()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.DropNext(1);
        using var client = FreshClient(emulator);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com"))));

        Assert.Empty(emulator.State.Users);
        Assert.Equal(1, emulator.Counters.Count("POST /Users", RequestOutcome.Dropped));
    }

    [Fact]
    public async Task A_connection_dropped_after_processing_hides_a_change_that_did_happen()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.DropNext(1, FaultScope.Parse("POST /Users"), afterProcessing: true);
        using var client = FreshClient(emulator);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com"))));

        Assert.Equal("ann@example.com", Assert.Single(emulator.State.Users).UserName);
    }

    [Fact]
    public async Task A_request_hung_after_processing_made_its_change_and_is_never_answered()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.HangNext(1, FaultScope.Parse("POST /Users"), afterProcessing: true);
        using var client = FreshClient(emulator, TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TaskCanceledException>(() => client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com"))));

        Assert.Equal("ann@example.com", Assert.Single(emulator.State.Users).UserName);
        Assert.Equal(1, emulator.Counters.Count(RequestOutcome.Hung));
    }

    [Fact]
    public async Task An_answer_without_id_is_a_200_with_the_resource_minus_its_id_and_the_change_happened()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.AnswerWithoutIdNext(1, FaultScope.Parse("POST /Users"));
        using var client = FreshClient(emulator);

        using var response = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.False(body.ContainsKey("id"));
        Assert.Equal("ann@example.com", body["userName"]!.GetValue<string>());
        Assert.Single(emulator.State.Users);
    }

    [Fact]
    public async Task A_restart_refuses_connections_while_down_and_keeps_every_user()
    {
        await using var emulator = await StartAsync();
        using var client = FreshClient(emulator);
        (await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com")))).Dispose();

        var restart = emulator.RestartAsync(TimeSpan.FromSeconds(1));
        await Task.Delay(300);
        using (var down = FreshClient(emulator))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => down.GetAsync("Users"));
        }

        await restart;
        using var after = FreshClient(emulator);
        using var list = await after.GetAsync("Users");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await list.Content.ReadAsStringAsync())!["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_drop_share_of_one_drops_every_request()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.DropShare = 1;
        using var client = FreshClient(emulator);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("Users"));

        Assert.Equal(1, emulator.Counters.Count(RequestOutcome.Dropped));
    }

    [Fact]
    public async Task A_hung_request_is_never_answered_until_the_client_gives_up()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.HangNext(1);
        using var impatient = FreshClient(emulator, TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync("Users"));
        using var next = await emulator.CreateClient().GetAsync("Users");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, emulator.Counters.Count("GET /Users", RequestOutcome.Hung));
    }

    [Fact]
    public async Task A_hang_share_of_one_hangs_every_request()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.HangShare = 1;
        using var impatient = FreshClient(emulator, TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync("ServiceProviderConfig"));
    }

    [Fact]
    public async Task A_malformed_answer_is_a_200_whose_body_is_not_valid_json()
    {
        await using var emulator = await StartAsync();
        using var client = emulator.CreateClient();
        emulator.Faults.MalformNext(1);

        using var response = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com")));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("{", body, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(body));
        Assert.Single(emulator.State.Users);
        Assert.Equal(1, emulator.Counters.Count(RequestOutcome.Malformed));
    }

    [Fact]
    public async Task A_malformed_share_of_one_breaks_every_body()
    {
        await using var emulator = await StartAsync();
        using var client = emulator.CreateClient();
        emulator.Faults.MalformedShare = 1;

        using var response = await client.GetAsync("ServiceProviderConfig");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(body));
    }

    [Fact]
    public async Task A_scoped_fault_hits_only_its_route_and_method()
    {
        await using var emulator = await StartAsync();
        using var client = emulator.CreateClient();
        var id = (await client.CreateUserAsync("ann@example.com")).Id();
        emulator.Faults.FailNext(2, 503, FaultScope.Parse("PATCH /Users/{id}"));

        using var get = await client.GetAsync($"Users/{id}");
        using var patch1 = await client.PatchAsync($"Users/{id}", """[{"op":"Replace","path":"title","value":"A"}]""");
        using var patch2 = await client.PatchAsync($"Users/{id}", """[{"op":"Replace","path":"title","value":"B"}]""");
        using var patch3 = await client.PatchAsync($"Users/{id}", """[{"op":"Replace","path":"title","value":"C"}]""");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, patch1.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, patch2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patch3.StatusCode);
        Assert.Equal("C", emulator.State.FindUser(id)!.Attribute("title"));
        Assert.Equal(0, emulator.Faults.PendingScheduledFaults);
    }

    [Fact]
    public async Task Standing_faults_can_be_scoped_to_a_method()
    {
        await using var emulator = await StartAsync();
        using var client = emulator.CreateClient();
        emulator.Faults.Scope = new FaultScope(Method: "POST");
        emulator.Faults.ServerErrorShare = 1;

        using var get = await client.GetAsync("Users");
        using var post = await client.PostAsync("Users", ScimHttp.Json(ScimHttp.UserBody("ann@example.com")));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.True((int)post.StatusCode >= 500);
    }

    [Fact]
    public async Task Latency_holds_every_answer_until_the_clock_has_moved_on()
    {
        var time = new FakeTimeProvider(Start);
        await using var emulator = await StartAsync(time);
        using var client = emulator.CreateClient();
        emulator.Faults.Latency = TimeSpan.FromSeconds(5);

        var pending = client.GetAsync("Users");
        await Task.Delay(300);
        Assert.False(pending.IsCompleted);
        while (!pending.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(pending, Task.Delay(50));
        }

        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Counters_count_requests_by_method_route_and_outcome_and_reset()
    {
        await using var emulator = await StartAsync();
        using var client = emulator.CreateClient();
        using var anonymous = new HttpClient { BaseAddress = emulator.BaseAddress };
        var id = (await client.CreateUserAsync("ann@example.com")).Id();
        await client.GetAsync($"Users/{id}");
        await client.GetAsync($"Users/{id}");
        await client.PatchAsync($"Users/{id}", """[{"op":"Replace","path":"active","value":false}]""");
        var group = (await client.CreateGroupAsync("Engineering")).Id();
        await client.PatchAsync($"Groups/{group}", $$"""[{"op":"Add","path":"members","value":[{"value":"{{id}}"}]}]""");
        await anonymous.GetAsync("Users");
        emulator.Faults.ThrottleNext(1, TimeSpan.FromSeconds(1));
        await client.DeleteAsync($"Users/{id}");

        Assert.Equal(1, emulator.Counters.Count("POST /Users"));
        Assert.Equal(2, emulator.Counters.Count("GET /Users/{id}"));
        Assert.Equal(1, emulator.Counters.Count("PATCH /Users/{id}"));
        Assert.Equal(1, emulator.Counters.Count("POST /Groups"));
        Assert.Equal(1, emulator.Counters.Count("PATCH /Groups/{id}"));
        Assert.Equal(1, emulator.Counters.Count("GET /Users", RequestOutcome.Served));
        Assert.Equal(1, emulator.Counters.Count("DELETE /Users/{id}", RequestOutcome.Throttled));
        Assert.Equal(0, emulator.Counters.Count("DELETE /Users/{id}", RequestOutcome.Served));
        Assert.Equal(8, emulator.Counters.Total);
        Assert.Equal(1, emulator.Counters.Snapshot()["PATCH /Groups/{id}"][RequestOutcome.Served]);

        emulator.Counters.Reset();

        Assert.Equal(0, emulator.Counters.Total);
    }

    [Fact]
    public void Shares_that_add_up_to_more_than_one_are_refused()
    {
        var faults = new FaultSettings { ServerErrorShare = 0.6 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => faults.DropShare = 0.5);

        Assert.Contains("DropShare", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, faults.DropShare);
    }
}
