using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScimSync.Core.Diagnostics;

public static class DiagnosticsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ScimSyncMetrics"/> and the meter factory it creates its meter with.</summary>
    public static IServiceCollection AddScimSyncMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton<ScimSyncMetrics>();
        return services;
    }
}
