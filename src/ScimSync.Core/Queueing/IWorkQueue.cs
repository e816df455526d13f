namespace ScimSync.Core.Queueing;

/// <summary>The send side of the work queue: what the cycle needs.</summary>
public interface IWorkItemSender
{
    /// <summary>
    /// Sends every item, in parallel. Returns only when all are durably enqueued; throws if any could not be, in
    /// which case the cycle must not move its watermark (items already sent are idempotent, so repeating is safe).
    /// </summary>
    /// <exception cref="WorkItemTooLargeException">An item does not fit in a message; nothing is sent.</exception>
    Task SendAsync(IReadOnlyCollection<WorkItem> items, CancellationToken cancellationToken = default) =>
        SendAsync(items, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Sends every item so that it is delivered no earlier than <paramref name="visibleAfter"/> from now (a delayed
    /// retry: a Storage queue's initial visibility delay, a Service Bus scheduled message). Durable when it returns.
    /// </summary>
    /// <exception cref="WorkItemTooLargeException">An item does not fit in a message; nothing is sent.</exception>
    Task SendAsync(IReadOnlyCollection<WorkItem> items, TimeSpan visibleAfter, CancellationToken cancellationToken);

    /// <summary>The most work items one message carries; the cycle's waves count the queue's messages as this many items.</summary>
    int ItemsPerMessage => 1;

    /// <summary>
    /// About how many messages the queue holds, waiting or in flight; null when this sender cannot tell (a Service Bus
    /// sender may not read its entity's counts). The cycle sends its items in waves by it.
    /// </summary>
    Task<int?> GetQueuedCountAsync(CancellationToken cancellationToken = default) => Task.FromResult<int?>(null);
}

/// <summary>The work queue as a worker running outside a queue trigger uses it: send, receive, complete, retry later.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue of work items; the name says what it is.")]
public interface IWorkQueue : IWorkItemSender
{
    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> messages (1–32), hiding them from other receivers for
    /// <paramref name="visibilityTimeout"/>. Each is read into its work items, or judged poison.
    /// </summary>
    Task<IReadOnlyList<ReceivedWorkMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Removes a handled message from the queue.</summary>
    Task CompleteAsync(ReceivedWorkMessage message, CancellationToken cancellationToken = default);

    /// <summary>Puts a message back to be delivered again after <paramref name="delay"/> (retry later, e.g. on a 429).</summary>
    Task ReleaseAsync(ReceivedWorkMessage message, TimeSpan delay, CancellationToken cancellationToken = default);

    /// <summary>About how many messages wait in the queue (for the status page).</summary>
    Task<int> GetApproximateCountAsync(CancellationToken cancellationToken = default);
}

/// <summary>A message taken from the queue.</summary>
/// <param name="MessageId">The transport's id for the message.</param>
/// <param name="Receipt">What the transport needs to complete or release this delivery.</param>
/// <param name="DequeueCount">How many times the message has been delivered, this time included.</param>
/// <param name="Entries">The work items it carries (at least one), each readable or poison.</param>
public sealed record ReceivedWorkMessage(string MessageId, string Receipt, long DequeueCount, IReadOnlyList<WorkMessageEntry> Entries);
