namespace ScimSync.Functions.Work;

/// <summary>
/// Fails a Storage queue function so the host delivers the message again: the only way a queue trigger can ask for
/// redelivery. Thrown only when Core could record nothing about the delivery (storage unavailable).
/// </summary>
public sealed class DeliveryNotSettledException(string messageId, string? reason)
    : Exception($"Message {messageId} was not settled ({reason ?? "no reason given"}); the queue delivers it again.")
{
    public string MessageId { get; } = messageId;
}
