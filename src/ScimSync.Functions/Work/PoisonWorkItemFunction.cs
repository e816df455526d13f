using System.Globalization;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Worker;

namespace ScimSync.Functions.Work;

/// <summary>
/// Records a message the Functions host gave up on (moved to the <c>-poison</c> queue after <c>maxDequeueCount</c>
/// failed deliveries) where <c>status</c> shows it; Core keeps its object pending for a later cycle.
/// </summary>
public sealed partial class PoisonWorkItemFunction(WorkItemSettlement settlement, ILogger<PoisonWorkItemFunction> logger)
{
    [Function(nameof(PoisonWorkItemFunction))]
    public async Task RunAsync(
        [QueueTrigger(WorkQueueBinding.PoisonQueueName)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"The Functions host moved the message to the poison queue after it failed as many times as host.json allows (extensions.queues.maxDequeueCount); first queued at {message.InsertedOn:u}.");
        var recorded = await settlement.RecordPoisonAsync(
            new IncomingWorkMessage(message.MessageId, message.Body.ToString(), message.DequeueCount), reason, cancellationToken);
        if (!recorded)
        {
            throw new DeliveryNotSettledException(message.MessageId, "the poison record could not be written");
        }

        LogRecorded(logger, message.MessageId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poison message {MessageId} recorded; its object stays pending for a later cycle")]
    private static partial void LogRecorded(ILogger logger, string messageId);
}
