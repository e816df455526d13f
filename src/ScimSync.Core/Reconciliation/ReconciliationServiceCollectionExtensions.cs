using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScimSync.Core.Diagnostics;

namespace ScimSync.Core.Reconciliation;

/// <summary>Registers reconciliation: the work-item processor, the dry-run planner and the per-job SCIM clients.</summary>
public static class ReconciliationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWorkItemProcessor"/>, <see cref="IWorkItemPlanner"/> and <see cref="JobScimClients"/>
    /// (one discovered SCIM client per job for the life of the process). They need the rest of Core
    /// (<c>AddScimSyncCore</c>): the job catalog, mapping, the SCIM client factory, state and provisioning logs.
    /// </summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobScimClients>();
        services.AddScimSyncMetrics();
        services.TryAddSingleton<IWorkItemProcessor, WorkItemProcessor>();
        services.TryAddSingleton<IWorkItemPlanner, WorkItemPlanner>();
        return services;
    }
}
