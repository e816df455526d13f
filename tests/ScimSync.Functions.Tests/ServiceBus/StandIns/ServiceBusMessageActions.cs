using Azure.Messaging.ServiceBus;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>
/// Stand-in with the public shape of the Service Bus extension's message actions (protected constructor for test
/// doubles, virtual settlement methods); see <see cref="ServiceBusTriggerAttribute"/>.
/// </summary>
public class ServiceBusMessageActions
{
    protected ServiceBusMessageActions()
    {
    }

    public virtual Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("Only the Functions host settles messages; tests use a recording subclass.");

    public virtual Task AbandonMessageAsync(
        ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("Only the Functions host settles messages; tests use a recording subclass.");

    public virtual Task DeadLetterMessageAsync(
        ServiceBusReceivedMessage message,
        Dictionary<string, object>? propertiesToModify = default,
        string? deadLetterReason = default,
        string? deadLetterErrorDescription = default,
        CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("Only the Functions host settles messages; tests use a recording subclass.");

    public virtual Task DeferMessageAsync(
        ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("Only the Functions host settles messages; tests use a recording subclass.");

    public virtual Task RenewMessageLockAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("Only the Functions host settles messages; tests use a recording subclass.");
}
