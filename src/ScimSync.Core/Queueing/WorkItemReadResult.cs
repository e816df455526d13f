namespace ScimSync.Core.Queueing;

/// <summary>What reading a queue message gave: a work item, or a poison message to record and drop.</summary>
public abstract record WorkItemReadResult
{
    private protected WorkItemReadResult()
    {
    }

    /// <summary>The message held a work item this build understands.</summary>
    public sealed record Readable(WorkItem Item) : WorkItemReadResult;

    /// <summary>
    /// The message can never be processed (malformed, unknown schema version, inconsistent, or delivered too
    /// often). The caller records it and removes it from the queue; it is never retried.
    /// </summary>
    public sealed record Poison(PoisonReason Reason, string Detail) : WorkItemReadResult;
}

/// <summary>Why a message was judged poison.</summary>
public enum PoisonReason
{
    /// <summary>The body is not a JSON work item.</summary>
    Malformed,

    /// <summary>The work item was written by a version of ScimSync whose schema this build cannot read.</summary>
    UnknownSchemaVersion,

    /// <summary>The work item parses but its fields contradict each other or its id.</summary>
    Inconsistent,

    /// <summary>The message was delivered more times than the queue allows without being completed.</summary>
    TooManyDeliveries,
}
