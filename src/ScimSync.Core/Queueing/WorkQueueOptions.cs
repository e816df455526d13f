namespace ScimSync.Core.Queueing;

/// <summary>Which service carries work items from the cycle to the worker.</summary>
public enum WorkQueueTransport
{
    /// <summary>Azure Storage queues (the default; Azurite emulates them locally).</summary>
    StorageQueue,

    /// <summary>Azure Service Bus, with duplicate detection on the deterministic work-item id.</summary>
    ServiceBus,
}

/// <summary>How Storage queue message bodies are encoded.</summary>
public enum WorkMessageEncoding
{
    /// <summary>Base64, what the Azure Functions queue trigger expects by default.</summary>
    Base64,

    /// <summary>Plain UTF-8 text.</summary>
    PlainText,
}

/// <summary>The work queue's settings.</summary>
public sealed class WorkQueueOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Queue";

    public WorkQueueTransport Transport { get; set; } = WorkQueueTransport.StorageQueue;

    /// <summary>The queue's name: 3–63 lowercase letters, digits and single hyphens.</summary>
    public string QueueName { get; set; } = "scimsync-work";

    /// <summary>Storage: a connection string (local development, Azurite). Set this or <see cref="QueueServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Storage: the Queue service endpoint, reached with managed identity (DefaultAzureCredential).</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Storage: how message bodies are encoded; must match the queue trigger's setting.</summary>
    public WorkMessageEncoding MessageEncoding { get; set; } = WorkMessageEncoding.Base64;

    /// <summary>How many messages are sent at once.</summary>
    public int SendParallelism { get; set; } = 16;

    /// <summary>
    /// Storage: the most work items one message carries (1–32). Every send, receive and delete is a request whatever a
    /// message holds; a message is deleted once all its items are settled, and delivered again whole if one of them
    /// could not be.
    /// </summary>
    public int ItemsPerMessage { get; set; } = 16;

    /// <summary>Deliveries after which a message that never completes is judged poison (Functions' default is 5).</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Settings used when <see cref="Transport"/> is <see cref="WorkQueueTransport.ServiceBus"/>.</summary>
    public ServiceBusQueueOptions ServiceBus { get; set; } = new();
}

/// <summary>The Service Bus queue's settings.</summary>
public sealed class ServiceBusQueueOptions
{
    /// <summary>A Service Bus connection string. Set this or <see cref="FullyQualifiedNamespace"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The namespace, e.g. <c>contoso.servicebus.windows.net</c>, reached with managed identity.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The queue's name; it must have duplicate detection enabled.</summary>
    public string QueueName { get; set; } = "scimsync-work";
}
