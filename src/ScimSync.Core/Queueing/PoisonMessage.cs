namespace ScimSync.Core.Queueing;

/// <summary>A message that could never be processed, kept for an admin to inspect.</summary>
/// <param name="QueueName">The queue it came from.</param>
/// <param name="MessageId">The transport's message id.</param>
/// <param name="DequeueCount">How often it was delivered.</param>
/// <param name="Reason">Why it was judged poison.</param>
/// <param name="Body">The body as received (cut to <see cref="PoisonMessageStore.MaxBodyCharacters"/>).</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record PoisonMessage(string QueueName, string MessageId, long DequeueCount, string Reason, string Body, DateTimeOffset RecordedAt);
