using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Worker;

namespace ScimSync.Functions.Work;

/// <summary>
/// Settles one work item from the Storage queue (Core reconciles it and decides: complete, delayed re-send, poison,
/// quarantine). The function fails only when Core asks for redelivery.
/// </summary>
public sealed partial class ProvisionObjectFunction(WorkItemSettlement settlement, ILogger<ProvisionObjectFunction> logger)
{
    [Function(nameof(ProvisionObjectFunction))]
    public async Task RunAsync(
        [QueueTrigger(WorkQueueBinding.QueueName)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settled = await settlement.SettleAsync(
            new IncomingWorkMessage(message.MessageId, message.Body.ToString(), message.DequeueCount), cancellationToken);
        LogSettled(logger, message.MessageId, settled.Kind, settled.Reason);
        if (settled.Redeliver)
        {
            throw new DeliveryNotSettledException(message.MessageId, settled.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId}: {Kind} {Reason}")]
    private static partial void LogSettled(ILogger logger, string messageId, SettlementKind kind, string? reason);
}
