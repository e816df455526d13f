using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimSync.Core.Admin;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Drift;
using ScimSync.Core.Logging;
using ScimSync.Core.Mapping;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Retention;
using ScimSync.Core.Scheduling;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using ScimSync.Core.State;

namespace ScimSync.Core;

/// <summary>The one composition of the engine for every host (the Functions app, the CLI, tests).</summary>
public static class ScimSyncCoreServiceCollectionExtensions
{
    /// <summary>The setting that names the job file.</summary>
    public const string JobsFileSetting = "ScimSync:JobsFile";

    /// <summary>
    /// Registers everything a host calls and everything those services need, with every options class bound under
    /// <c>ScimSync:</c> and validated at start-up (see docs/configuration.md). The services a host calls:
    /// <list type="bullet">
    /// <item><see cref="DueCycleRunner"/>: at each tick, the cycles that are due (timer function, <c>run</c> loop).</item>
    /// <item><see cref="SyncCycleRunner"/>: one cycle of one job (<c>sync</c>).</item>
    /// <item><see cref="IWorkItemProcessor"/> and the in-process <see cref="Worker.QueueWorker"/>: one work item.</item>
    /// <item>The admin services: <see cref="JobStatusService"/>, <see cref="JobControlService"/>,
    /// <see cref="ProvisioningLogService"/>, <see cref="PlanService"/>, <see cref="ProvisionOnDemandService"/>.</item>
    /// <item><see cref="RetentionService"/>: deletes logs, progress and poison records past their age.</item>
    /// <item><see cref="DriftScanService"/>: a drift scan of one job (<c>audit</c>, the admin API); the due scans run in
    /// the <see cref="DueCycleRunner"/> tick.</item>
    /// </list>
    /// The job file is read and validated when <see cref="JobCatalog"/> is first resolved; hosts resolve it at
    /// start-up so a bad file stops them. A host adds only its transport bindings and triggers.
    /// </summary>
    public static IServiceCollection AddScimSyncEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddScimSyncCore(configuration);
        services.AddReconciliation();
        services.AddSyncCycle();

        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.DefaultSectionPath).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulerOptions>>(new SchedulerOptionsValidator(SchedulerOptions.DefaultSectionPath));
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.DefaultSectionPath).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>>(new RetentionOptionsValidator(RetentionOptions.DefaultSectionPath));
        services.TryAddSingleton<DueCycleRunner>();
        services.TryAddSingleton<RetentionService>();
        services.TryAddSingleton<JobStatusService>();
        services.TryAddSingleton<JobControlService>();
        services.TryAddSingleton<ProvisioningLogService>();
        services.TryAddSingleton<PlanService>();
        services.TryAddSingleton<ProvisionOnDemandService>();
        services.TryAddSingleton<DriftScanStore>();
        services.TryAddSingleton<DriftScanService>();
        services.TryAddSingleton<DueDriftScanRunner>();
        return services;
    }

    /// <summary>
    /// The job file, mapping, the SCIM client, state, the work queue and provisioning logs: what every part of
    /// the engine needs. Settings live under <c>ScimSync:</c>.
    /// </summary>
    internal static IServiceCollection AddScimSyncCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddScimSyncMapping();
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
