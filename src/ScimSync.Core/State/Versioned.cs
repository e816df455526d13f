using Azure;

namespace ScimSync.Core.State;

/// <summary>A stored value and the ETag it was read with; pass the ETag back to write it optimistically.</summary>
public sealed record Versioned<T>(T Value, ETag ETag);

/// <summary>Whether an ETag-guarded write happened.</summary>
public enum WriteStatus
{
    /// <summary>The row was written; <see cref="WriteResult.ETag"/> is its new ETag.</summary>
    Written,

    /// <summary>
    /// Someone else wrote the row since it was read (or created it first, or removed it). Nothing was written:
    /// read the row again and decide anew.
    /// </summary>
    Conflict,
}

/// <summary>The outcome of an ETag-guarded write.</summary>
public readonly record struct WriteResult(WriteStatus Status, ETag ETag)
{
    public static WriteResult Conflict => new(WriteStatus.Conflict, default);

    public bool IsConflict => Status == WriteStatus.Conflict;
}
