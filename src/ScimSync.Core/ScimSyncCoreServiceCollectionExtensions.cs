using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScimSync.Core.Configuration;
using ScimSync.Core.Logging;
using ScimSync.Core.Mapping;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;

namespace ScimSync.Core;

/// <summary>Composition of the whole engine for a host (the Functions app, the CLI, tests).</summary>
public static class ScimSyncCoreServiceCollectionExtensions
{
    /// <summary>The setting that names the job file.</summary>
    public const string JobsFileSetting = "ScimSync:JobsFile";

    /// <summary>
    /// Registers every Core service: the job file (read and validated when first resolved; hosts resolve
    /// <see cref="JobCatalog"/> at start-up so a bad file stops them), mapping, scoping, the SCIM client, state,
    /// the work queue and provisioning logs. Settings live under <c>ScimSync:</c> (see docs/configuration.md).
    /// </summary>
    public static IServiceCollection AddScimSyncCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddScimSyncMapping();
        services.AddScoping();
        services.AddScimClient();
        services.AddScimSyncState();
        services.AddWorkQueue();
        services.AddProvisioningLogs();
        services.TryAddSingleton<MappingValidator>();
        services.TryAddSingleton(sp => new JobFileLoader(
            sp.GetRequiredService<ScimProfileRegistry>(), sp.GetRequiredService<MappingValidator>(), configuration));
        services.TryAddSingleton(sp =>
        {
            var path = configuration[JobsFileSetting];
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new JobConfigurationException(JobsFileSetting, [$"{JobsFileSetting}: set it to the path of the job file (see docs/configuration.md)."]);
            }

            return sp.GetRequiredService<JobFileLoader>().Load(path);
        });
        return services;
    }
}
