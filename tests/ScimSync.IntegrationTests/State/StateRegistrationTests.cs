using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.State;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Objects;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class StateRegistrationTests(AzuriteFixture azurite)
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddScimSyncState();
        services.AddProvisioningLogs();
        services.AddWorkQueue();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Stores_registered_from_configuration_work_against_the_configured_account()
    {
        var prefix = "Reg" + Guid.NewGuid().ToString("N")[..8];
        await using var provider = Build(new()
        {
            ["ScimSync:State:ConnectionString"] = azurite.ConnectionString,
            ["ScimSync:State:TablePrefix"] = prefix,
            ["ScimSync:Queue:ConnectionString"] = azurite.ConnectionString,
            ["ScimSync:Queue:QueueName"] = "reg-" + prefix.ToLowerInvariant(),
        });

        var jobs = provider.GetRequiredService<JobStateStore>();
        await jobs.SaveAsync(new JobState(new JobId("j1")), null);
        await provider.GetRequiredService<IWorkItemSender>().SendAsync([WorkItem.Delete(new JobId("j1"), "c", ObjectKind.User, new SourceId("u1"), DateTimeOffset.UnixEpoch)]);

        Assert.NotNull(await jobs.GetAsync(new JobId("j1")));
        Assert.Equal(prefix + "Jobs", provider.GetRequiredService<StateTables>().NameOf(StateTable.Jobs));
        Assert.Single(await provider.GetRequiredService<IWorkQueue>().ReceiveAsync(32, TimeSpan.FromMinutes(1)));
        Assert.NotNull(provider.GetRequiredService<ObjectStateStore>());
        Assert.NotNull(provider.GetRequiredService<ProvisioningLogStore>());
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_table_and_the_queue_deleted_while_the_process_runs_are_created_again_by_the_next_request()
    {
        var prefix = "Gone" + Guid.NewGuid().ToString("N")[..8];
        var queueName = "gone-" + prefix.ToLowerInvariant();
        await using var provider = Build(new()
        {
            ["ScimSync:State:ConnectionString"] = azurite.ConnectionString,
            ["ScimSync:State:TablePrefix"] = prefix,
            ["ScimSync:Queue:ConnectionString"] = azurite.ConnectionString,
            ["ScimSync:Queue:QueueName"] = queueName,
        });
        var jobs = provider.GetRequiredService<JobStateStore>();
        var sender = provider.GetRequiredService<IWorkItemSender>();
        var item = WorkItem.Delete(new JobId("j1"), "c", ObjectKind.User, new SourceId("u1"), DateTimeOffset.UnixEpoch);
        await jobs.SaveAsync(new JobState(new JobId("j1")), null);
        await sender.SendAsync([item]);

        await new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).DeleteTableAsync(prefix + "Jobs");
        await new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, queueName).DeleteAsync();

        Assert.Null(await jobs.GetAsync(new JobId("j1")));
        await jobs.SaveAsync(new JobState(new JobId("j2")), null);
        Assert.NotNull(await jobs.GetAsync(new JobId("j2")));
        Assert.Empty(await provider.GetRequiredService<IWorkQueue>().ReceiveAsync(32, TimeSpan.FromMinutes(1)));
        await sender.SendAsync([item]);
        Assert.Single(await provider.GetRequiredService<IWorkQueue>().ReceiveAsync(32, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Missing_settings_fail_at_start_naming_each_setting()
    {
        using var provider = Build(new() { ["ScimSync:Queue:QueueName"] = "Bad_Name" });

        var state = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StateStorageOptions>>().Value);
        var queue = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WorkQueueOptions>>().Value);

        Assert.Contains("ScimSync:State:ConnectionString", state.Message, StringComparison.Ordinal);
        Assert.Contains("ScimSync:Queue:QueueName", queue.Message, StringComparison.Ordinal);
        Assert.Contains("ScimSync:Queue:ConnectionString", queue.Message, StringComparison.Ordinal);
    }
}
