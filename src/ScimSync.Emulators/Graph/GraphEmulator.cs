using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph.Http;
using ScimSync.Emulators.Graph.Responses;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.Emulators.Hosting;

namespace ScimSync.Emulators.Graph;

/// <summary>
/// A Microsoft Graph v1.0 stand-in on loopback: users/groups delta, appRoleAssignedTo, members and
/// transitiveMembers over an in-memory tenant, with an admin API, fault injection and request counters.
/// Point the Graph SDK at <see cref="BaseUrl"/> (e.g. <c>requestAdapter.BaseUrl = emulator.BaseUrl</c>).
/// </summary>
public sealed class GraphEmulator : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private GraphEmulator(LoopbackServer server, GraphTenant tenant, GraphControls controls, FaultSettings faults, RequestCounters counters, string accessToken)
    {
        AccessToken = accessToken;
        _server = server;
        Tenant = tenant;
        Controls = controls;
        Faults = faults;
        Counters = counters;
    }

    /// <summary>The Graph base URL, e.g. <c>http://127.0.0.1:51234/v1.0</c> (no trailing slash, as the SDK expects).</summary>
    public string BaseUrl => $"http://127.0.0.1:{_server.Port}{GraphRoutes.Prefix}";

    /// <summary>The admin HTTP API's base URL, e.g. <c>http://127.0.0.1:51234/_admin</c>.</summary>
    public string AdminUrl => $"http://127.0.0.1:{_server.Port}{AdminEndpoints.Prefix}";

    public int Port => _server.Port;

    /// <summary>The bearer token Graph requests must carry (see <see cref="GraphEmulatorOptions.AccessToken"/>).</summary>
    public string AccessToken { get; }

    /// <summary>The directory and its admin methods (add, change, delete users and groups, memberships, assignments).</summary>
    public GraphTenant Tenant { get; }

    /// <summary>Token expiry, forced resync (410) and denied permissions.</summary>
    public GraphControls Controls { get; }

    /// <summary>Latency, throttling (429 with an integer Retry-After), server errors, hangs, drops, malformed bodies.</summary>
    public FaultSettings Faults { get; }

    /// <summary>Graph requests counted by method and route pattern without the /v1.0 prefix, e.g. <c>"GET /users/delta()"</c>.</summary>
    public RequestCounters Counters { get; }

    /// <summary>Delta requests for users or groups, over all four spellings of the delta route.</summary>
    public long DeltaRequests(ObjectType type) => GraphRoutes.DeltaCounterKeys(type).Sum(Counters.Count);

    /// <summary>A copy of the tenant's state for assertions.</summary>
    public GraphTenantSnapshot Snapshot() => Tenant.Snapshot();

    public static async Task<GraphEmulator> StartAsync(GraphEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var tenant = GraphTenant.FromSeed(options.Seed ?? new DirectorySeed(), options.TimeProvider);
        var controls = new GraphControls();
        var faults = new FaultSettings(timeProvider: options.TimeProvider) { ThrottleStyle = options.ThrottleStyle };
        var counters = new RequestCounters();
        var accessToken = options.AccessToken ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var context = new GraphEmulatorContext(tenant, options, controls, accessToken);

        var server = await LoopbackServer.StartAsync(options.Port, configureServices: null, app =>
        {
            app.UseRouting();
            app.UseWhen(IsGraphRequest, graph =>
            {
                graph.UseFaultInjection(faults, counters, fault =>
                {
                    fault.RoutePrefix = GraphRoutes.Prefix;
                    fault.WriteErrorBody = (http, status, _) => WriteFaultAsync(http, status, options.TimeProvider);
                    fault.AddThrottleHeaders = http => AddThrottleHeaders(http, tenant);
                });
                graph.UseMiddleware<GraphAccessMiddleware>(context);
            });
            GraphRoutes.Map(app, context);
            AdminEndpoints.Map(app, context, faults, counters);
        }, cancellationToken);

        return new GraphEmulator(server, tenant, controls, faults, counters, accessToken);
    }

    /// <summary>Starts an emulator serving a demo directory file (docs/demo-directory.md).</summary>
    public static Task<GraphEmulator> StartAsync(string seedPath, int port = 0, bool allowAnonymous = false, CancellationToken cancellationToken = default) =>
        StartAsync(new GraphEmulatorOptions { Seed = DirectorySeedFile.Load(seedPath), Port = port, AllowAnonymous = allowAnonymous }, cancellationToken);

    /// <summary>An <see cref="HttpClient"/> that sends <see cref="AccessToken"/>; request URLs are absolute (<see cref="BaseUrl"/> + path).</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AccessToken);
        return client;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static bool IsGraphRequest(HttpContext context) => context.Request.Path.StartsWithSegments(GraphRoutes.Prefix);

    // graph-delta.md §4: a 429 names the throttled scope and the limit that was hit.
    private static void AddThrottleHeaders(HttpContext context, GraphTenant tenant)
    {
        context.Response.Headers["x-ms-throttle-scope"] = $"Tenant_Application/ReadWrite/{tenant.ServicePrincipal.AppId}/{tenant.TenantId}";
        context.Response.Headers["x-ms-throttle-information"] = "ResourceUnitLimitExceeded";
    }

    // Injected failures answer in Graph's error format, so the SDK maps them to ODataError like real ones.
    private static Task WriteFaultAsync(HttpContext context, int status, TimeProvider time) => status switch
    {
        StatusCodes.Status429TooManyRequests => GraphErrors.WriteAsync(context, status, "TooManyRequests", "Please retry again later.", time),
        StatusCodes.Status503ServiceUnavailable => GraphErrors.WriteAsync(context, status, "serviceNotAvailable",
            "The service is temporarily unavailable. Please retry after a short delay.", time),
        _ => GraphErrors.WriteAsync(context, status, "generalException", "An unexpected error occurred on the server.", time),
    };
}
