namespace ScimSync.Core.Worker;

/// <summary>A work-item message as a host's trigger or receive loop got it from its transport.</summary>
/// <param name="MessageId">The transport's id for the message.</param>
/// <param name="Body">The message body: the work item's JSON (already decoded from any transport encoding).</param>
/// <param name="DeliveryCount">How many times the transport has delivered the message, this time included.</param>
public sealed record IncomingWorkMessage(string MessageId, string Body, long DeliveryCount);
