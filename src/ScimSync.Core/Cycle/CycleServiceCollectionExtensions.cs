using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimSync.Core.Diagnostics;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;
using ScimSync.Core.Worker;

namespace ScimSync.Core.Cycle;

/// <summary>DI registration of the sync cycle and the in-process worker.</summary>
public static class CycleServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SyncCycleRunner"/>, <see cref="CyclePlanner"/>,
    /// <see cref="JobHealth"/>, the durable <see cref="IAssignmentSnapshotStore"/> and membership graph, the per-job
    /// Graph clients, and the in-process <see cref="QueueWorker"/> and <see cref="JobScheduler"/>, with
    /// <see cref="SyncCycleOptions"/> bound to <c>ScimSync:Cycle</c> and <see cref="QueueWorkerOptions"/> to
    /// <c>ScimSync:Worker</c>, validated at start-up. Part of <see cref="ScimSyncCoreServiceCollectionExtensions.AddScimSyncEngine"/>.
    /// </summary>
    internal static IServiceCollection AddSyncCycle(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(SyncCycleRunner)))
        {
            return services;
        }

        services.AddScimSyncState();
        services.AddOptions<SyncCycleOptions>().BindConfiguration(SyncCycleOptions.DefaultSectionPath).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SyncCycleOptions>>(new SyncCycleOptionsValidator(SyncCycleOptions.DefaultSectionPath));
        services.AddOptions<QueueWorkerOptions>().BindConfiguration(QueueWorkerOptions.DefaultSectionPath).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueueWorkerOptions>>(new QueueWorkerOptionsValidator(QueueWorkerOptions.DefaultSectionPath));
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<TableAssignmentSnapshotStore>();
        services.TryAddSingleton<IAssignmentSnapshotStore>(sp => sp.GetRequiredService<TableAssignmentSnapshotStore>());
        services.TryAddSingleton<SourceMembershipStore>();
        services.TryAddSingleton<JobDirectoryClients>();
        services.TryAddSingleton<JobHealth>();
        services.TryAddSingleton<CyclePlanner>();
        services.TryAddSingleton<StagedDeprovisionReview>();
        services.TryAddSingleton<JobStateHeartbeat>();
        services.AddScimSyncMetrics();
        services.TryAddSingleton<WaveSender>();
        services.TryAddSingleton<SyncCycleRunner>();
        services.TryAddSingleton<RedrivePolicy>();
        services.TryAddSingleton<WorkItemSettlement>();
        services.TryAddSingleton<QueueWorker>();
        services.TryAddSingleton<JobScheduler>();
        services.TryAddSingleton<InProcessSyncRunner>();
        return services;
    }
}
