using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Admin;
using ScimSync.Admin.Security;

namespace ScimSync.Cli.Hosting;

/// <summary>
/// The web server of <c>scimsync run</c>: the whole Core composed as for every other command, plus the admin API and
/// status page on Kestrel at the loopback URL of <c>ScimSync:Admin:Url</c> (or <c>--admin-url</c>), behind the admin
/// key. The run loop takes its scheduler from the same services, so the page shows what this process does.
/// </summary>
public sealed class AdminWebHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdminWebHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:7280/</c> (with the port actually bound).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The status page's address.</summary>
    public Uri PageAddress => new(BaseAddress, AdminRoutes.RunPrefix.TrimStart('/') + "/" + AdminRoutes.Page);

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the server when the settings (or <paramref name="urlOverride"/>) ask for it; returns null when they do
    /// not. Invalid settings (no key, a URL that is not loopback) throw <see cref="OptionsValidationException"/>.
    /// </summary>
    public static async Task<AdminWebHost?> StartIfEnabledAsync(IConfiguration configuration, Uri? urlOverride, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (urlOverride is not null)
        {
            // Chained, not copied: a settings file that reloads (a rotated token) is still read through.
            configuration = new ConfigurationBuilder()
                .AddConfiguration(configuration)
                .AddInMemoryCollection(new Dictionary<string, string?> { [AdminServerOptions.SectionName + ":Url"] = urlOverride.ToString() })
                .Build();
        }

        var options = configuration.GetSection(AdminServerOptions.SectionName).Get<AdminServerOptions>() ?? new AdminServerOptions();
        if (!options.Enabled)
        {
            return null;
        }

        // Checked before binding, so a refused URL is never listened on.
        var validation = new AdminServerOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(AdminServerOptions.SectionName, typeof(AdminServerOptions), validation.Failures);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.Services.AddScimSyncCli(configuration).AddScimSyncAdminServer(configuration);
        var url = options.Url!;
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(ListenAddress(url), url.Port);
        });

        var app = builder.Build();
        app.MapScimSyncAdmin();
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var address = bound is null ? url : new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return new AdminWebHost(app, new Uri(address.GetLeftPart(UriPartial.Authority) + "/"));
    }

    private static IPAddress ListenAddress(Uri url) =>
        IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) ? address : IPAddress.Loopback;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
