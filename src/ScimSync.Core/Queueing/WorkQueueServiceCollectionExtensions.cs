using Azure.Core;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Core.Credentials;
using ScimSync.Core.State;

namespace ScimSync.Core.Queueing;

/// <summary>Registers the work queue.</summary>
public static class WorkQueueServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWorkItemSender"/> (Storage queue or Service Bus, per <c>Transport</c>), the Storage
    /// <see cref="IWorkQueue"/> a worker receives from, and the <see cref="PoisonMessageStore"/>, with
    /// <see cref="WorkQueueOptions"/> bound to <paramref name="sectionPath"/> and validated at start-up. Also
    /// registers the state tables (<see cref="StateServiceCollectionExtensions.AddScimSyncState"/>) if not yet done,
    /// since poison messages are recorded there.
    /// </summary>
    public static IServiceCollection AddWorkQueue(
        this IServiceCollection services, string sectionPath = WorkQueueOptions.DefaultSectionPath, Action<WorkQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScimSyncState();
        services.AddAzureCredential();
        var options = services.AddOptions<WorkQueueOptions>().BindConfiguration(sectionPath);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkQueueOptions>>(new WorkQueueOptionsValidator(sectionPath));
        services.TryAddSingleton<PoisonMessageStore>();

        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<WorkQueueOptions>>().Value;
            QueueServiceClient Connect(QueueClientOptions? clientOptions = null) => settings.QueueServiceUri is { } uri
                ? new QueueServiceClient(uri, provider.GetRequiredService<TokenCredential>(), clientOptions)
                : new QueueServiceClient(settings.ConnectionString, clientOptions);
            var creator = Connect();
            var clientOptions = new QueueClientOptions();
            clientOptions.AddPolicy(
                new RecreateWhenMissingPolicy("QueueNotFound", RecreateWhenMissingPolicy.QueueIn,
                    (name, cancellationToken) => creator.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken)),
                HttpPipelinePosition.PerRetry);
            var client = Connect(clientOptions).GetQueueClient(settings.QueueName);
            return new StorageWorkQueue(
                client, settings.MessageEncoding, settings.SendParallelism, settings.MaxDequeueCount, settings.ItemsPerMessage,
                provider.GetRequiredService<ILogger<StorageWorkQueue>>());
        });
        services.TryAddSingleton<IWorkQueue>(provider => provider.GetRequiredService<StorageWorkQueue>());

        services.TryAddSingleton<IWorkItemSender>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<WorkQueueOptions>>().Value;
            if (settings.Transport != WorkQueueTransport.ServiceBus)
            {
                return provider.GetRequiredService<StorageWorkQueue>();
            }

            var bus = settings.ServiceBus;
            var client = bus.ConnectionString is { Length: > 0 } connection
                ? new ServiceBusClient(connection)
                : new ServiceBusClient(bus.FullyQualifiedNamespace, provider.GetRequiredService<TokenCredential>());
            return new ServiceBusWorkItemSender(client.CreateSender(bus.QueueName), settings.SendParallelism, provider.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
