using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimSync.Core.State;

namespace ScimSync.Core.Logging;

/// <summary>Registers the provisioning log store.</summary>
public static class ProvisioningLogServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ProvisioningLogStore"/> with <see cref="ProvisioningLogOptions"/> bound to
    /// <paramref name="sectionPath"/> and validated at start-up. The logs live in the state tables, which are
    /// registered too if not yet done.
    /// </summary>
    public static IServiceCollection AddProvisioningLogs(
        this IServiceCollection services, string sectionPath = ProvisioningLogOptions.DefaultSectionPath)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScimSyncState();
        services.AddOptions<ProvisioningLogOptions>().BindConfiguration(sectionPath).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProvisioningLogOptions>>(new ProvisioningLogOptionsValidator(sectionPath));
        services.TryAddSingleton<ProvisioningLogStore>();
        return services;
    }
}
