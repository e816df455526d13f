using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Worker;

namespace ScimSync.Functions.Work;

/// <summary>
/// Settles one message of the Storage queue: Core reconciles each work item it carries and decides for each
/// (complete, delayed re-send, poison, quarantine). The function fails only when Core asks for redelivery.
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
        foreach (var item in settled.Items)
        {
            LogSettled(logger, message.MessageId, item.Kind, item.Reason);
        }

        if (settled.Redeliver)
        {
            throw new DeliveryNotSettledException(message.MessageId, settled.Items.First(item => item.Redeliver).Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId}: {Kind} {Reason}")]
    private static partial void LogSettled(ILogger logger, string messageId, SettlementKind kind, string? reason);
}
