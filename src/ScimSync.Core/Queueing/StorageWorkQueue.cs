using System.Text;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace ScimSync.Core.Queueing;

/// <summary>
/// The work queue on Azure Storage queues. The queue is created on first use. A message carries up to
/// <see cref="ItemsPerMessage"/> work items (<see cref="WorkMessageSerializer"/>). Messages are UTF-8 JSON, base64-encoded
/// or plain as configured (to match the Functions queue trigger's <c>messageEncoding</c>). The encoding is applied here
/// rather than by the QueueClient so that a body that is not valid base64 becomes a poison outcome instead of an
/// exception that would block the receive.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue of work items; the name says what it is.")]
public sealed partial class StorageWorkQueue : IWorkQueue
{
    private readonly QueueClient _queue;
    private readonly int _sendParallelism;
    private readonly int _maxDequeueCount;
    private readonly int _itemsPerMessage;
    private readonly ILogger<StorageWorkQueue> _logger;
    private readonly WorkMessageEncoding _encoding;
    private Lazy<Task> _created;

    /// <param name="queue">The queue, with the client's own message encoding left at None.</param>
    /// <param name="encoding">How bodies are encoded on the wire.</param>
    /// <param name="sendParallelism">How many messages are sent at once.</param>
    /// <param name="maxDequeueCount">Deliveries after which an uncompleted message is judged poison.</param>
    /// <param name="itemsPerMessage">The most work items one message carries.</param>
    /// <param name="logger">Logger.</param>
    public StorageWorkQueue(
        QueueClient queue, WorkMessageEncoding encoding, int sendParallelism, int maxDequeueCount, int itemsPerMessage,
        ILogger<StorageWorkQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfLessThan(sendParallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDequeueCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemsPerMessage, 1);
        _queue = queue;
        _encoding = encoding;
        _sendParallelism = sendParallelism;
        _maxDequeueCount = maxDequeueCount;
        _itemsPerMessage = itemsPerMessage;
        _logger = logger;
        _created = NewCreation();
    }

    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6);
    private static readonly TimeSpan MessageTimeToLive = TimeSpan.FromDays(7);

    /// <summary>The queue's name.</summary>
    public string Name => _queue.Name;

    public int ItemsPerMessage => _itemsPerMessage;

    public Task SendAsync(IReadOnlyCollection<WorkItem> items, CancellationToken cancellationToken = default) =>
        SendAsync(items, TimeSpan.Zero, cancellationToken);

    public async Task SendAsync(IReadOnlyCollection<WorkItem> items, TimeSpan visibleAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(visibleAfter, TimeSpan.Zero);
        // A Storage queue hides a new message for at most 7 days; a message must also outlive its delay.
        var delay = visibleAfter > MaxDelay ? MaxDelay : visibleAfter;
        // Serialize all first: an oversized item fails the whole batch before anything is sent. Each body is encoded
        // as it goes, so only the messages in flight are held twice.
        var messages = WorkMessageSerializer.Pack(items, _itemsPerMessage);
        await EnsureCreatedAsync(cancellationToken);
        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = _sendParallelism, CancellationToken = cancellationToken },
            async (message, token) => await _queue.SendMessageAsync(
                Encode(message), visibilityTimeout: delay > TimeSpan.Zero ? delay : null, timeToLive: delay > TimeSpan.Zero ? MessageTimeToLive : null, cancellationToken: token));
        LogSent(items.Count, messages.Count, _queue.Name);
    }

    public async Task<IReadOnlyList<ReceivedWorkMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        await EnsureCreatedAsync(cancellationToken);
        var response = await _queue.ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken);
        return response.Value.Select(Read).ToList();
    }

    public async Task CompleteAsync(ReceivedWorkMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await WhileStillOursAsync(message, () => _queue.DeleteMessageAsync(message.MessageId, message.Receipt, cancellationToken));
    }

    public async Task ReleaseAsync(ReceivedWorkMessage message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        // Storage queues cap invisibility at 7 days.
        var capped = delay > TimeSpan.FromDays(7) ? TimeSpan.FromDays(7) : delay;
        await WhileStillOursAsync(message, () => _queue.UpdateMessageAsync(message.MessageId, message.Receipt, visibilityTimeout: capped, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Settles a delivery unless it is no longer this receiver's: a message handled for longer than its visibility
    /// timeout is visible again and may have been received (new pop receipt) or removed by another delivery. That
    /// delivery settles it; reconciling an object twice changes nothing, so this one just lets go.
    /// </summary>
    private async Task WhileStillOursAsync(ReceivedWorkMessage message, Func<Task> settle)
    {
        try
        {
            await settle();
        }
        catch (Azure.RequestFailedException error) when (error.ErrorCode is "PopReceiptMismatch" or "MessageNotFound")
        {
            LogDeliveryLapsed(message.MessageId, _queue.Name, error.ErrorCode);
        }
    }

    public async Task<int> GetApproximateCountAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        var properties = await _queue.GetPropertiesAsync(cancellationToken);
        return properties.Value.ApproximateMessagesCount;
    }

    public async Task<int?> GetQueuedCountAsync(CancellationToken cancellationToken = default) => await GetApproximateCountAsync(cancellationToken);

    private ReceivedWorkMessage Read(QueueMessage message)
    {
        IReadOnlyList<WorkMessageEntry> entries = Decode(message.Body.ToString()) is { } json
            ? WorkMessageSerializer.Read(json)
            : [new WorkMessageEntry(new WorkItemReadResult.Poison(PoisonReason.Malformed, "The message body is not base64, as this queue's messages must be."), message.Body.ToString())];
        if (message.DequeueCount > _maxDequeueCount)
        {
            var tooMany = new WorkItemReadResult.Poison(
                PoisonReason.TooManyDeliveries,
                $"The message was delivered {message.DequeueCount} times without completing; the limit is {_maxDequeueCount}.");
            entries = entries.Select(entry => entry with { Content = tooMany }).ToList();
        }

        return new ReceivedWorkMessage(message.MessageId, message.PopReceipt, message.DequeueCount, entries);
    }

    private string Encode(byte[] json) =>
        _encoding == WorkMessageEncoding.Base64 ? Convert.ToBase64String(json) : Encoding.UTF8.GetString(json);

    private byte[]? Decode(string body)
    {
        if (_encoding == WorkMessageEncoding.PlainText)
        {
            return Encoding.UTF8.GetBytes(body);
        }

        var buffer = new byte[body.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(body, buffer, out var written) ? buffer[..written] : null;
    }

    private Lazy<Task> NewCreation() => new(() => _queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None));

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var creation = _created;
        try
        {
            await creation.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (creation.Value.IsFaulted)
        {
            // A failed creation must not be remembered: the next call tries again.
            Interlocked.CompareExchange(ref _created, NewCreation(), creation);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {Count} work items in {Messages} messages to queue {QueueName}")]
    private partial void LogSent(int count, int messages, string queueName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of queue {QueueName} was handled past its visibility timeout and is no longer this delivery's ({ErrorCode}); the delivery that has it now settles it")]
    private partial void LogDeliveryLapsed(string messageId, string queueName, string? errorCode);
}
