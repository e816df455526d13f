using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ScimSync.Core.Credentials;

/// <summary>Registers the one credential every Azure client of ScimSync signs in with.</summary>
public static class AzureCredentialServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TokenCredential"/> from <see cref="AzureIdentityOptions"/> (bound to
    /// <c>ScimSync:Identity</c>, validated at start-up) unless the host registered one. Calling it again adds nothing.
    /// </summary>
    public static IServiceCollection AddAzureCredential(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(IValidateOptions<AzureIdentityOptions>)))
        {
            return services;
        }

        services.AddOptions<AzureIdentityOptions>().BindConfiguration(AzureIdentityOptions.DefaultSectionPath).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureIdentityOptions>>(new AzureIdentityOptionsValidator(AzureIdentityOptions.DefaultSectionPath));
        services.TryAddSingleton(provider => Create(provider.GetRequiredService<IOptions<AzureIdentityOptions>>().Value));
        return services;
    }

    /// <summary>The credential the options describe.</summary>
    public static TokenCredential Create(AzureIdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Naming the identity avoids DefaultAzureCredential's probing and can never pick another identity on the host.
        return string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));
    }
}
