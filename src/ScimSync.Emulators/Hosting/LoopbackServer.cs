using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScimSync.Emulators.Hosting;

/// <summary>
/// A minimal-API web application on Kestrel, bound to 127.0.0.1 only, started in-process.
/// Emulators build on it so tests and the CLI can run them without a separate process.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private LoopbackServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The address the server listens on, e.g. <c>http://127.0.0.1:51234/</c> (always ends with a slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The port actually bound (the free port picked when 0 was asked for).</summary>
    public int Port => BaseAddress.Port;

    /// <summary>The application's services, for emulators that resolve what they registered.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Builds and starts the application. <paramref name="configureServices"/> registers services;
    /// <paramref name="configureApp"/> adds middleware and endpoints.
    /// </summary>
    /// <param name="port">The loopback port to bind; 0 picks a free one.</param>
    public static async Task<LoopbackServer> StartAsync(
        int port,
        Action<IServiceCollection>? configureServices,
        Action<WebApplication> configureApp,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configureApp);
        if (port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"The port must be between 0 (any free port) and {IPEndPoint.MaxPort}.");
        }

        // Empty args and no content root probing: the emulator must not pick up appsettings or ASPNETCORE_URLS
        // from whatever directory or environment the test runner happens to use.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
        });
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        configureApp(app);
        await app.StartAsync(cancellationToken);

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var bound = new Uri(addresses.First());
        var baseAddress = new UriBuilder(Uri.UriSchemeHttp, IPAddress.Loopback.ToString(), bound.Port, "/").Uri;
        return new LoopbackServer(app, baseAddress);
    }

    /// <summary>Stops the server; requests still running are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Shutdown gave up waiting for a request that would not end; disposing below closes it.
            }
        }

        await _app.DisposeAsync();
    }
}
