using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimSync.Core.Credentials;
using ScimSync.Core.State.Escrow;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Progress;
using ScimSync.Core.State.Staging;
using ScimSync.Core.State.Watermarks;

namespace ScimSync.Core.State;

/// <summary>Registers ScimSync's durable state.</summary>
public static class StateServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="StateTables"/> and every state store (jobs, watermarks, objects,
    /// memberships, staged actions, progress), the <see cref="EscrowPolicy"/> and the <see cref="QuarantinePolicy"/>, with
    /// <see cref="StateStorageOptions"/> bound to <paramref name="sectionPath"/>, <see cref="EscrowPolicyOptions"/> to
    /// <paramref name="escrowSectionPath"/> and <see cref="QuarantinePolicyOptions"/> to
    /// <paramref name="quarantineSectionPath"/>, all validated at start-up. Calling it again adds nothing.
    /// </summary>
    public static IServiceCollection AddScimSyncState(
        this IServiceCollection services,
        string sectionPath = StateStorageOptions.DefaultSectionPath,
        string escrowSectionPath = EscrowPolicyOptions.DefaultSectionPath,
        string quarantineSectionPath = QuarantinePolicyOptions.DefaultSectionPath,
        Action<StateStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(StateTables)))
        {
            return services;
        }

        services.AddAzureCredential();
        var storage = services.AddOptions<StateStorageOptions>().BindConfiguration(sectionPath);
        if (configure is not null)
        {
            storage.Configure(configure);
        }

        storage.ValidateOnStart();
        services.AddSingleton<IValidateOptions<StateStorageOptions>>(new StateStorageOptionsValidator(sectionPath));
        services.AddOptions<EscrowPolicyOptions>().BindConfiguration(escrowSectionPath).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EscrowPolicyOptions>>(new EscrowPolicyOptionsValidator(escrowSectionPath));
        services.AddOptions<QuarantinePolicyOptions>().BindConfiguration(quarantineSectionPath).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QuarantinePolicyOptions>>(new QuarantinePolicyOptionsValidator(quarantineSectionPath));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StateStorageOptions>>().Value;
            TableServiceClient Connect(TableClientOptions? clientOptions = null) => options.TableServiceUri is { } uri
                ? new TableServiceClient(uri, provider.GetRequiredService<TokenCredential>(), clientOptions)
                : new TableServiceClient(options.ConnectionString, clientOptions);
            var creator = Connect();
            var clientOptions = new TableClientOptions();
            clientOptions.AddPolicy(
                new RecreateWhenMissingPolicy("TableNotFound", RecreateWhenMissingPolicy.TableIn,
                    (name, cancellationToken) => creator.CreateTableIfNotExistsAsync(name, cancellationToken)),
                HttpPipelinePosition.PerRetry);
            return new StateTables(Connect(clientOptions), options.TablePrefix);
        });
        services.TryAddSingleton<EscrowPolicy>();
        services.TryAddSingleton<QuarantinePolicy>();
        services.TryAddSingleton<JobStateStore>();
        services.TryAddSingleton<WatermarkStore>();
        services.TryAddSingleton<ObjectStateStore>();
        services.TryAddSingleton<TargetLinkStore>();
        services.TryAddSingleton<TargetIdSnapshots>();
        services.TryAddSingleton<MembershipStore>();
        services.TryAddSingleton<StagedActionStore>();
        services.TryAddSingleton<ProgressStore>();
        return services;
    }
}
