using System.Globalization;
using Azure.Messaging.ServiceBus;

namespace ScimSync.Core.Queueing;

/// <summary>
/// Sends work items to an Azure Service Bus queue. The message id is the deterministic work-item id, so a queue with
/// duplicate detection drops the duplicates a repeated cycle sends.
/// </summary>
/// <remarks>A delayed retry is a scheduled message with its own message id (<see cref="WorkItem.MessageId"/>).</remarks>
public sealed class ServiceBusWorkItemSender(ServiceBusSender sender, int sendParallelism, TimeProvider timeProvider) : IWorkItemSender
{
    public Task SendAsync(IReadOnlyCollection<WorkItem> items, CancellationToken cancellationToken = default) =>
        SendAsync(items, TimeSpan.Zero, cancellationToken);

    public async Task SendAsync(IReadOnlyCollection<WorkItem> items, TimeSpan visibleAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(visibleAfter, TimeSpan.Zero);
        var messages = items.Select(CreateMessage).ToList();
        if (visibleAfter > TimeSpan.Zero)
        {
            var due = timeProvider.GetUtcNow() + visibleAfter;
            foreach (var message in messages)
            {
                message.ScheduledEnqueueTime = due;
            }
        }

        var batches = new List<ServiceBusMessageBatch>();
        try
        {
            // Batches fill up to the namespace's message-size limit; each batch is one send.
            var current = await sender.CreateMessageBatchAsync(cancellationToken);
            batches.Add(current);
            foreach (var message in messages)
            {
                if (current.TryAddMessage(message))
                {
                    continue;
                }

                current = await sender.CreateMessageBatchAsync(cancellationToken);
                batches.Add(current);
                if (!current.TryAddMessage(message))
                {
                    throw new WorkItemTooLargeException(
                        $"The work item {message.MessageId} does not fit in a Service Bus message of at most {current.MaxSizeInBytes:N0} bytes.");
                }
            }

            await Parallel.ForEachAsync(
                batches.Where(batch => batch.Count > 0),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, sendParallelism), CancellationToken = cancellationToken },
                async (batch, token) => await sender.SendMessagesAsync(batch, token));
        }
        finally
        {
            foreach (var batch in batches)
            {
                batch.Dispose();
            }
        }
    }

    /// <summary>The Service Bus message for a work item (size-checked like every transport).</summary>
    public static ServiceBusMessage CreateMessage(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var message = new ServiceBusMessage(WorkItemSerializer.Serialize(item))
        {
            MessageId = item.MessageId,
            ContentType = "application/json",
            Subject = item.Operation.ToString(),
            CorrelationId = item.CycleId,
        };
        message.ApplicationProperties["schemaVersion"] = WorkItem.CurrentSchemaVersion.ToString(CultureInfo.InvariantCulture);
        message.ApplicationProperties["jobId"] = item.Job.Value;
        message.ApplicationProperties["kind"] = item.Kind.ToString();
        return message;
    }
}
