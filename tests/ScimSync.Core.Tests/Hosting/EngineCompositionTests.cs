using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimSync.Core.Admin;
using ScimSync.Core.Cycle;
using ScimSync.Core.Drift;
using ScimSync.Core.Retention;
using ScimSync.Core.Scheduling;
using ScimSync.Core.Scoping;
using ScimSync.Core.Worker;

namespace ScimSync.Core.Tests.Hosting;

public sealed class EngineCompositionTests
{
    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ScimSync:State:ConnectionString"] = "UseDevelopmentStorage=true",
            ["ScimSync:Queue:ConnectionString"] = "UseDevelopmentStorage=true",
        }).AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddScimSyncEngine(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void One_call_registers_every_service_a_host_calls_with_all_it_depends_on()
    {
        var services = new ServiceCollection().AddLogging().AddScimSyncEngine(new ConfigurationBuilder().Build());

        Type[] hostServices =
        [
            typeof(DueCycleRunner), typeof(SyncCycleRunner), typeof(QueueWorker), typeof(JobScheduler), typeof(JobStatusService),
            typeof(JobControlService), typeof(ProvisioningLogService), typeof(PlanService), typeof(ProvisionOnDemandService),
            typeof(RetentionService), typeof(DriftScanService), typeof(DueDriftScanRunner),
        ];
        Assert.All(hostServices, type => Assert.Single(services, descriptor => descriptor.ServiceType == type));

        // Fails when a constructor needs something nothing registered (factories are not run, so no job file is read).
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public void The_durable_assignment_store_is_the_only_one_registered()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddScimSyncEngine(configuration);

        var store = Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IAssignmentSnapshotStore));
        Assert.NotEqual(typeof(InMemoryAssignmentSnapshotStore), store.ImplementationType);
    }

    [Fact]
    public void A_wrong_retention_or_tick_fails_at_start_with_the_full_setting_name()
    {
        using var services = Compose(new()
        {
            ["ScimSync:Logs:RetentionDays"] = "0",
            ["ScimSync:Retention:PoisonDays"] = "-1",
            ["ScimSync:Scheduler:Tick"] = "00:00:00",
        });

        var failure = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var messages = failure is AggregateException aggregate
            ? aggregate.InnerExceptions.OfType<OptionsValidationException>().SelectMany(inner => inner.Failures).ToList()
            : ((OptionsValidationException)failure).Failures.ToList();
        Assert.Contains(messages, message => message.StartsWith("ScimSync:Logs:RetentionDays", StringComparison.Ordinal));
        Assert.Contains(messages, message => message.StartsWith("ScimSync:Retention:PoisonDays", StringComparison.Ordinal));
        Assert.Contains(messages, message => message.StartsWith("ScimSync:Scheduler:Tick", StringComparison.Ordinal));
    }
}
