using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Hosting;

namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// An in-memory stand-in for Atlassian Cloud's user provisioning SCIM API (docs/reference/atlassian-scim-api.md), on
/// 127.0.0.1, with fault injection. Start it with <see cref="StartAsync"/>; dispose it to stop.
/// </summary>
public sealed class AtlassianScimEmulator : IAsyncDisposable
{
    private readonly Func<int, CancellationToken, Task<LoopbackServer>> _listen;
    private LoopbackServer _server;

    private AtlassianScimEmulator(LoopbackServer server, Func<int, CancellationToken, Task<LoopbackServer>> listen, string directoryId, string apiKey, AtlassianDirectory state, FaultSettings faults,
        RequestCounters counters, RequestJournal journal, ListRequestCounts lists)
    {
        Lists = lists;
        Journal = journal;
        _server = server;
        _listen = listen;
        DirectoryId = directoryId;
        ApiKey = apiKey;
        State = state;
        Faults = faults;
        Counters = counters;
        BaseUrl = new Uri(server.BaseAddress, $"scim/directory/{Uri.EscapeDataString(directoryId)}").ToString();
    }

    /// <summary>The SCIM base URL, like Atlassian's "Directory base URL": <c>http://127.0.0.1:{port}/scim/directory/{directoryId}</c>.</summary>
    public string BaseUrl { get; }

    /// <summary><see cref="BaseUrl"/> with a trailing slash, for <see cref="HttpClient.BaseAddress"/> and relative paths such as <c>Users</c>.</summary>
    public Uri BaseAddress => new(BaseUrl + "/");

    public int Port => _server.Port;

    public string DirectoryId { get; }

    /// <summary>The directory API key to send as <c>Authorization: Bearer …</c>.</summary>
    public string ApiKey { get; }

    /// <summary>The stored users, groups and accounts: read, seed and reset them.</summary>
    public AtlassianDirectory State { get; }

    /// <summary>Faults injected into requests; change them at any time.</summary>
    public FaultSettings Faults { get; }

    /// <summary>Faults of the stored state (lost creates, dropped values, wrong paging); the same as <see cref="AtlassianDirectory.Faults"/>.</summary>
    public AtlassianTargetFaults TargetFaults => State.Faults;

    /// <summary>Requests received, by route and outcome.</summary>
    public RequestCounters Counters { get; }

    /// <summary>The list requests answered, lookups (with a filter) apart from pages of a whole list.</summary>
    public ListRequestCounts Lists { get; }

    /// <summary>The write requests processed, with their bodies, paths relative to <see cref="BaseUrl"/> (e.g. <c>/Users/{id}</c>).</summary>
    public RequestJournal Journal { get; }

    public static async Task<AtlassianScimEmulator> StartAsync(AtlassianEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AtlassianEmulatorOptions();
        options.Validate();
        var apiKey = options.ApiKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var faults = options.Faults ?? new FaultSettings(timeProvider: options.TimeProvider) { ThrottleStyle = options.ThrottleStyle };
        var counters = new RequestCounters();
        var journal = new RequestJournal();
        var lists = new ListRequestCounts();
        var state = new AtlassianDirectory(options);
        if (options.Seed is not null)
        {
            state.Seed(options.Seed);
        }

        Task<LoopbackServer> ListenAsync(int port, CancellationToken cancellation) => LoopbackServer.StartAsync(port, configureServices: null, app =>
        {
            app.UseRouting();
            app.UseFaultInjection(faults, counters, fault => fault.RoutePrefix = AtlassianEndpoints.Prefix);
            var prefix = $"/scim/directory/{options.DirectoryId}";
            app.UseRequestJournal(journal, path => path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? path[prefix.Length..] : path);
            AtlassianEndpoints.Map(app, state, options, apiKey, lists);
        }, cancellation);

        var server = await ListenAsync(options.Port, cancellationToken);
        return new AtlassianScimEmulator(server, ListenAsync, options.DirectoryId, apiKey, state, faults, counters, journal, lists);
    }

    /// <summary>A client for this emulator: base address <see cref="BaseAddress"/> and the bearer key set.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    /// <summary>Empties the directory and clears faults, counters, list counts and the journal.</summary>
    public void Reset()
    {
        State.Reset();
        Faults.Reset();
        Counters.Reset();
        Lists.Reset();
        Journal.Clear();
    }

    /// <summary>
    /// Stops listening (requests in flight are cut off, new connections refused) for <paramref name="downtime"/>, then
    /// listens again on the same port with the same stored users and groups, as a target does that restarts.
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken = default)
    {
        await _server.DisposeAsync();
        await Task.Delay(downtime, cancellationToken);
        _server = await _listen(Port, cancellationToken);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
