namespace ScimSync.Core.Queueing;

/// <summary>A work item would not fit in one queue message.</summary>
public sealed class WorkItemTooLargeException : Exception
{
    public WorkItemTooLargeException()
    {
    }

    public WorkItemTooLargeException(string message)
        : base(message)
    {
    }

    public WorkItemTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal WorkItemTooLargeException(string message, int size, int limit)
        : base(message)
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>The serialized size in bytes.</summary>
    public int Size { get; }

    /// <summary>The largest size allowed, in bytes.</summary>
    public int Limit { get; }
}
