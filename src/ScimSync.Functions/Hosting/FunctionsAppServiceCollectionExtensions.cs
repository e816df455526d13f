using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Admin;
using ScimSync.Core;

namespace ScimSync.Functions.Hosting;

/// <summary>
/// The Functions app's composition: the whole Core engine, the admin API's handlers (function keys protect them), and
/// the host's own telemetry export.
/// </summary>
public static class FunctionsAppServiceCollectionExtensions
{
    public static IServiceCollection AddScimSyncFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddScimSyncEngine(configuration);
        services.AddScimSyncAdmin();
        services.AddScimSyncTelemetry(configuration);
        return services;
    }
}
