#if SCIMSYNC_SERVICEBUS_TRIGGER
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Worker;

namespace ScimSync.Functions.Work;

/// <summary>
/// Settles one work item from the Service Bus queue (<c>ScimSync:Queue:Transport = ServiceBus</c>): Core reconciles
/// and decides; the function completes the message, or abandons it when Core asks for redelivery. Built only with
/// <c>-p:ScimSyncServiceBusTrigger=true</c> (docs/decisions/001-queue-transport.md).
/// </summary>
public sealed partial class ServiceBusProvisionObjectFunction(WorkItemSettlement settlement, ILogger<ServiceBusProvisionObjectFunction> logger)
{
    /// <summary>The Service Bus queue, named by Core's own setting.</summary>
    public const string QueueName = "%ScimSync:Queue:ServiceBus:QueueName%";

    /// <summary>The connection section: its <c>FullyQualifiedNamespace</c>, reached with managed identity.</summary>
    public const string Connection = "ScimSync:Queue:ServiceBus";

    [Function(nameof(ServiceBusProvisionObjectFunction))]
    public async Task RunAsync(
        [ServiceBusTrigger(QueueName, Connection = Connection, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions messageActions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(messageActions);
        var settled = await settlement.SettleAsync(
            new IncomingWorkMessage(message.MessageId, message.Body.ToString(), message.DeliveryCount), cancellationToken);
        foreach (var item in settled.Items)
        {
            LogSettled(logger, message.MessageId, item.Kind, item.Reason);
        }

        if (settled.Redeliver)
        {
            await messageActions.AbandonMessageAsync(message, cancellationToken: cancellationToken);
        }
        else
        {
            await messageActions.CompleteMessageAsync(message, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Service Bus message {MessageId}: {Kind} {Reason}")]
    private static partial void LogSettled(ILogger logger, string messageId, SettlementKind kind, string? reason);
}
#endif
