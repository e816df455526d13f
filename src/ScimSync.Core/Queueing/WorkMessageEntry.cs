namespace ScimSync.Core.Queueing;

/// <summary>One work item as read from a queue message, which may carry several.</summary>
/// <param name="Content">The work item, or why it cannot be processed.</param>
/// <param name="Body">The item's own JSON: what a poison record keeps.</param>
public sealed record WorkMessageEntry(WorkItemReadResult Content, string Body);
