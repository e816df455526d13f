using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScimSync.Core.Mapping;

public static class MappingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the mapping engine, the validator and the source attribute catalog (replace the catalog singleton
    /// to extend the known attributes). Uses the registered <see cref="TimeProvider"/>, or the system clock.
    /// </summary>
    public static IServiceCollection AddScimSyncMapping(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(SourceAttributeCatalog.Default);
        services.TryAddSingleton<MappingValidator>(sp => new MappingValidator(sp.GetRequiredService<SourceAttributeCatalog>()));
        services.TryAddSingleton<MappingEngine>();
        return services;
    }
}
