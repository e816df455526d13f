namespace ScimSync.Functions.Work;

/// <summary>
/// Where the Storage queue triggers read. The queue is named by Core's own setting (<c>ScimSync:Queue:QueueName</c>),
/// so the sender and the triggers cannot disagree; the triggers use the host's storage connection
/// (<c>AzureWebJobsStorage</c>), so the work queue lives in that account (see docs/functions-host.md).
/// </summary>
internal static class WorkQueueBinding
{
    public const string QueueName = "%ScimSync:Queue:QueueName%";

    /// <summary>The queue the Functions host moves a message to after <c>maxDequeueCount</c> failed deliveries.</summary>
    public const string PoisonQueueName = "%ScimSync:Queue:QueueName%-poison";
}
