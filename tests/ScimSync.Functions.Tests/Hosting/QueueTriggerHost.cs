using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace ScimSync.Functions.Tests.Hosting;

/// <summary>
/// What the Functions host's Storage queue trigger does, with the settings of the repository's host.json: it reads
/// messages with the configured encoding, invokes the function, deletes the message when the function succeeds,
/// leaves it to reappear after <c>visibilityTimeout</c> when it throws, and moves it to the <c>-poison</c> queue
/// after <c>maxDequeueCount</c> failed deliveries.
/// </summary>
internal sealed class QueueTriggerHost
{
    private static readonly JsonNode Queues = JsonNode.Parse(File.ReadAllText(RepositoryFiles.HostJson))!["extensions"]!["queues"]!;

    public QueueTriggerHost(string connectionString, string queueName)
    {
        var options = new QueueClientOptions
        {
            MessageEncoding = (string?)Queues["messageEncoding"] == "base64" ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None,
        };
        WorkQueue = new QueueClient(connectionString, queueName, options);
        PoisonQueue = new QueueClient(connectionString, queueName + "-poison", options);
    }

    public QueueClient WorkQueue { get; }

    public QueueClient PoisonQueue { get; }

    public static int MaxDequeueCount => (int)Queues["maxDequeueCount"]!;

    public static TimeSpan VisibilityTimeout => TimeSpan.Parse((string)Queues["visibilityTimeout"]!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Delivers the queue's messages to <paramref name="function"/> until the queue is empty, waiting up to
    /// <paramref name="patience"/> for messages that are not yet visible (delayed retries). Returns the deliveries.
    /// </summary>
    public async Task<int> DeliverAsync(QueueClient queue, Func<QueueMessage, Task> function, TimeSpan patience)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        var deliveries = 0;
        await queue.CreateIfNotExistsAsync();
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(16, VisibilityTimeout)).Value;
            if (messages.Length == 0)
            {
                if ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 || DateTimeOffset.UtcNow > deadline)
                {
                    return deliveries;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200));
                continue;
            }

            foreach (var message in messages)
            {
                deliveries++;
                try
                {
                    await function(message);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                catch (Exception) when (message.DequeueCount >= MaxDequeueCount)
                {
                    await PoisonQueue.CreateIfNotExistsAsync();
                    await PoisonQueue.SendMessageAsync(message.Body);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                catch (Exception)
                {
                    // Left in the queue: it becomes visible again after the visibility timeout, as in the host.
                }
            }
        }
    }
}
