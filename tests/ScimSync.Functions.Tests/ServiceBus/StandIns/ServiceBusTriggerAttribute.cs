using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>
/// Stand-in with the public shape of the Service Bus extension's trigger attribute, which this build's package
/// source does not serve: the trigger's source compiles against it here and against the real one with
/// <c>-p:ScimSyncServiceBusTrigger=true</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ServiceBusTriggerAttribute : TriggerBindingAttribute
{
    public ServiceBusTriggerAttribute(string queueName) => QueueName = queueName;

    public ServiceBusTriggerAttribute(string topicName, string subscriptionName)
    {
        TopicName = topicName;
        SubscriptionName = subscriptionName;
    }

    public string? QueueName { get; }

    public string? TopicName { get; }

    public string? SubscriptionName { get; }

    public string? Connection { get; set; }

    public bool IsSessionsEnabled { get; set; }

    public bool AutoCompleteMessages { get; set; } = true;

    public bool IsBatched { get; set; }
}
