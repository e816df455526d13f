using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScimSync.Core.Diagnostics;

namespace ScimSync.Core.Reconciliation;

/// <summary>Registers reconciliation: the work-item processor, the dry-run planner and the per-job SCIM clients.</summary>
public static class ReconciliationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWorkItemProcessor"/>, <see cref="IWorkItemPlanner"/>, <see cref="MatchListing"/> and
    /// <see cref="JobScimClients"/> (one discovered SCIM client per job for the life of the process). Part of
    /// <see cref="ScimSyncCoreServiceCollectionExtensions.AddScimSyncEngine"/>.
    /// </summary>
    internal static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobScimClients>();
        services.TryAddSingleton<Worker.RedrivePolicy>();
        services.AddScimSyncMetrics();
        services.TryAddSingleton<IWorkItemProcessor, WorkItemProcessor>();
        services.TryAddSingleton<IWorkItemPlanner, WorkItemPlanner>();
        services.TryAddSingleton<MatchListing>();
        return services;
    }
}
