using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;

namespace ScimSync.IntegrationTests.Scim;

/// <summary>
/// How the client rides out what real targets do under load, injected by the Atlassian emulator: throttling storms,
/// server errors, dropped and hung connections. Outcomes are checked in the emulator's state and request counters.
/// </summary>
public sealed class ScimClientFaultTests(AtlassianEmulatorTarget target) : IClassFixture<AtlassianEmulatorTarget>, IAsyncLifetime, IDisposable
{
    private readonly ScimTestHost _host = new(target.Token, options =>
    {
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
        options.MaxRetryAttempts = 6;
    });

    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    private AtlassianScimEmulator Emulator => target.Emulator;

    public Task InitializeAsync()
    {
        Emulator.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Emulator.Faults.Reset();
        return Task.CompletedTask;
    }

    public void Dispose() => _host.Dispose();

    [Trait("Category", "Reliability")]
    [Theory]
    [InlineData(ThrottleHeaderStyle.RetryAfterSeconds)]
    [InlineData(ThrottleHeaderStyle.RateLimitReset)]
    public async Task A_throttling_storm_loses_and_duplicates_no_write(ThrottleHeaderStyle style)
    {
        var client = _host.Client(target.BaseUrl, target.Profile);
        Emulator.Faults.ThrottleNext(20, TimeSpan.FromSeconds(1), FaultScope.Parse("POST /Users"), style);

        var created = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            client.CreateAsync(ObjectKind.User, ScimUsers.User($"storm{i}.{_run}@example.com"))));

        Emulator.Faults.ThrottleNext(20, TimeSpan.FromSeconds(1), FaultScope.Parse("PATCH /Users/{id}"), style);
        await Task.WhenAll(created.Select(user =>
            client.UpdateAsync(ObjectKind.User, user.Id, user.Attributes, user.Attributes.With("title", ScimUsers.Json("\"Survivor\"")))));

        var stored = Emulator.State.LiveUsers.Where(u => u.UserName.Contains(_run, StringComparison.Ordinal)).ToList();
        Assert.Equal(10, stored.Count);
        Assert.Equal(10, stored.Select(u => u.UserName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var user in created)
        {
            var read = await client.GetAsync(ObjectKind.User, user.Id);
            Assert.Equal("Survivor", read.GetString("title"));
        }

        // Every throttled attempt was retried exactly once more, and nothing else was sent.
        Assert.Equal(20, Emulator.Counters.Count("POST /Users", RequestOutcome.Throttled));
        Assert.Equal(10, Emulator.Counters.Count("POST /Users", RequestOutcome.Served));
        Assert.Equal(30, Emulator.Counters.Count("POST /Users"));
        Assert.Equal(20, Emulator.Counters.Count("PATCH /Users/{id}", RequestOutcome.Throttled));
        Assert.Equal(10, Emulator.Counters.Count("PATCH /Users/{id}", RequestOutcome.Served));
        Assert.Equal(30, Emulator.Counters.Count("PATCH /Users/{id}"));
    }

    [Theory]
    [InlineData(10, 30)]
    [InlineData(20, 60)]
    public async Task A_job_never_sends_more_than_its_rate_in_any_one_second_window(int requestsPerSecond, int requests)
    {
        // The emulator admits 25 requests in any sliding one-second window. At 20 a second, a second's burst on top of
        // a second's refill would send up to 40 in one window.
        Emulator.Faults.RequestsPerSecond = 25;
        var client = _host.Client(target.BaseUrl, target.Profile, requestsPerSecond: requestsPerSecond);

        await Task.WhenAll(Enumerable.Range(0, requests).Select(i => client.FindAsync(ObjectKind.User, "userName", $"window{i}.{_run}@example.com")));

        Assert.Equal(requests, Emulator.Counters.Count("GET /Users", RequestOutcome.Served));
        Assert.Equal(0, Emulator.Counters.Count(RequestOutcome.Throttled));
    }

    [Fact]
    public async Task A_throttle_asking_for_longer_than_the_client_waits_fails_transient_with_the_wait()
    {
        var client = _host.Client(target.BaseUrl, target.Profile);
        Emulator.Faults.ThrottleNext(1, TimeSpan.FromMinutes(10), FaultScope.Parse("GET /Users"), ThrottleHeaderStyle.RetryAfterSeconds);

        var error = await Assert.ThrowsAsync<ScimException>(() => client.FindAsync(ObjectKind.User, "userName", $"x.{_run}@example.com"));

        Assert.Equal(ScimErrorClassification.Transient, error.Classification);
        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
        Assert.Equal(1, Emulator.Counters.Count("GET /Users"));
    }

    [Fact]
    public async Task Server_error_bursts_are_retried_for_reads_and_updates()
    {
        var client = _host.Client(target.BaseUrl, target.Profile);
        var user = await client.CreateAsync(ObjectKind.User, ScimUsers.User($"burst.{_run}@example.com"));
        Emulator.Faults.FailNext(3, 503, FaultScope.Parse("GET /Users/{id}"));
        Emulator.Faults.FailNext(2, 500, FaultScope.Parse("PATCH /Users/{id}"));

        var read = await client.GetAsync(ObjectKind.User, user.Id);
        await client.UpdateAsync(ObjectKind.User, user.Id, read.Attributes, read.Attributes.With("title", ScimUsers.Json("\"Steady\"")));

        Assert.Equal(3, Emulator.Counters.Count("GET /Users/{id}", RequestOutcome.Failed));
        Assert.Equal(2, Emulator.Counters.Count("PATCH /Users/{id}", RequestOutcome.Failed));
        Assert.Equal(1, Emulator.Counters.Count("PATCH /Users/{id}", RequestOutcome.Served));
        Assert.Equal("Steady", Emulator.State.FindUser(user.Id.Value)!.Attribute("title"));
    }

    [Fact]
    public async Task A_create_answered_500_is_not_posted_again_and_fails_transient_with_an_unknown_outcome()
    {
        var client = _host.Client(target.BaseUrl, target.Profile);
        Emulator.Faults.FailNext(1, 500, FaultScope.Parse("POST /Users"));

        var error = await Assert.ThrowsAsync<ScimException>(() => client.CreateAsync(ObjectKind.User, ScimUsers.User($"once.{_run}@example.com")));

        Assert.Equal(ScimErrorClassification.Transient, error.Classification);
        Assert.True(error.OutcomeUnknown);
        Assert.Equal(1, Emulator.Counters.Count("POST /Users"));
    }

    [Fact]
    public async Task Each_retry_reads_the_token_again_so_a_rotated_key_takes_effect_at_once()
    {
        var tokens = new RotatingTokens(target.Token);
        await using var host = new ScimTestHost(target.Token, tokens: tokens);
        var client = host.Client(target.BaseUrl, target.Profile);
        Emulator.Faults.FailNext(2, 503, FaultScope.Parse("GET /Users"));

        await client.FindAsync(ObjectKind.User, "userName", $"nobody.{_run}@example.com");

        Assert.Equal(3, tokens.Reads);
        Assert.Equal(1, Emulator.Counters.Count("GET /Users", RequestOutcome.Served));
    }

    [Fact]
    public async Task A_wrong_key_is_unauthorized_with_the_targets_trace_id_and_is_not_retried()
    {
        await using var host = new ScimTestHost("not-the-directory-key");
        var client = host.Client(target.BaseUrl, target.Profile);

        var error = await Assert.ThrowsAsync<ScimException>(() => client.FindAsync(ObjectKind.User, "userName", $"x.{_run}@example.com"));

        Assert.Equal(ScimErrorClassification.Unauthorized, error.Classification);
        Assert.False(string.IsNullOrEmpty(error.TraceId));
        Assert.Contains(error.TraceId, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-directory-key", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Emulator.Counters.Total);
    }

    [Fact]
    public async Task An_empty_token_setting_is_unauthorized_naming_the_setting_and_sends_nothing()
    {
        var client = _host.Client(target.BaseUrl, target.Profile, tokenSetting: "MissingScimToken");

        var error = await Assert.ThrowsAsync<ScimException>(() => client.GetAsync(ObjectKind.User, new TargetId("any")));

        Assert.Equal(ScimErrorClassification.Unauthorized, error.Classification);
        Assert.Contains("SCIM GET Users/any", error.Message, StringComparison.Ordinal);
        Assert.Contains("'MissingScimToken'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Emulator.Counters.Total);
    }

    [Fact]
    public async Task Dropped_connections_are_retried_for_reads()
    {
        var client = _host.Client(target.BaseUrl, target.Profile);
        var user = await client.CreateAsync(ObjectKind.User, ScimUsers.User($"drop.{_run}@example.com"));
        Emulator.Faults.DropNext(2, FaultScope.Parse("GET /Users/{id}"));

        var read = await client.GetAsync(ObjectKind.User, user.Id);

        Assert.Equal(user.Id, read.Id);
        Assert.Equal(2, Emulator.Counters.Count("GET /Users/{id}", RequestOutcome.Dropped));
        Assert.Equal(1, Emulator.Counters.Count("GET /Users/{id}", RequestOutcome.Served));
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_create_whose_answer_was_lost_is_adopted_by_re_matching_not_posted_twice()
    {
        var client = _host.Client(target.BaseUrl, target.Profile);
        var userName = $"lost.{_run}@example.com";
        Emulator.Faults.DropNext(1, FaultScope.Parse("POST /Users"), afterProcessing: true);

        var result = await client.CreateOrAdoptAsync(ObjectKind.User, ScimUsers.User(userName));

        Assert.True(result.Adopted);
        var stored = Assert.Single(Emulator.State.LiveUsers, u => string.Equals(u.UserName, userName, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(stored.Id, result.Resource.Id.Value);
        Assert.Equal(1, Emulator.Counters.Count("POST /Users"));
    }

    [Fact]
    public async Task A_hung_request_times_out_as_a_transient_error()
    {
        await using var host = new ScimTestHost(target.Token, options =>
        {
            options.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            options.MaxRetryAttempts = 1;
        });
        var client = host.Client(target.BaseUrl, target.Profile);
        Emulator.Faults.HangNext(2, FaultScope.Parse("GET /Users/{id}"));

        var error = await Assert.ThrowsAsync<ScimException>(() => client.GetAsync(ObjectKind.User, new TargetId("whoever")));

        Assert.Equal(ScimErrorClassification.Transient, error.Classification);
        Assert.Null(error.Status);
        Assert.Contains("did not answer within 0.3 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await HungCountAsync("GET /Users/{id}", expected: 2));
    }

    [Fact]
    public async Task A_hung_create_is_not_posted_again_and_its_outcome_is_unknown()
    {
        // Long enough for the request to reach the emulator on a machine busy with the rest of the suite: a client that
        // gives up before it arrives never makes it hang.
        await using var host = new ScimTestHost(target.Token, options =>
        {
            options.AttemptTimeout = TimeSpan.FromSeconds(2);
            options.MaxRetryAttempts = 3;
        });
        var client = host.Client(target.BaseUrl, target.Profile);
        Emulator.Faults.HangNext(1, FaultScope.Parse("POST /Users"));

        var error = await Assert.ThrowsAsync<ScimException>(() => client.CreateAsync(ObjectKind.User, ScimUsers.User($"hung.{_run}@example.com")));

        Assert.Equal(ScimErrorClassification.Transient, error.Classification);
        Assert.True(error.OutcomeUnknown);
        Assert.Equal(1, await HungCountAsync("POST /Users", expected: 1));
        Assert.Equal(1, Emulator.Counters.Count("POST /Users"));
    }

    // The emulator counts a hung request when it arrives, or when the client's abort reaches it while it waits: a moment
    // after the client gave up (seconds later on a machine busy with the rest of the suite).
    private async Task<long> HungCountAsync(string route, int expected)
    {
        for (var i = 0; i < 400 && Emulator.Counters.Count(route, RequestOutcome.Hung) < expected; i++)
        {
            await Task.Delay(50);
        }

        return Emulator.Counters.Count(route, RequestOutcome.Hung);
    }
}

internal sealed class RotatingTokens(string token) : IScimTokenProvider
{
    private int _reads;

    public int Reads => _reads;

    public ValueTask<string> GetTokenAsync(string settingName, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return ValueTask.FromResult(token);
    }
}

internal static class ScimUsers
{
    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static ScimAttributes User(string userName) => ScimAttributes.Empty
        .With("userName", Json(JsonSerializer.Serialize(userName)))
        .With("name.givenName", Json("\"Fault\""))
        .With("name.familyName", Json("\"Tolerant\""))
        .With("emails[type eq \"work\"].value", Json(JsonSerializer.Serialize(userName)))
        .With("active", Json("true"));
}
