namespace ScimSync.Core.State;

/// <summary>A value is too large to store in one Table Storage entity (1 MiB per entity).</summary>
public sealed class StateEntityTooLargeException : Exception
{
    public StateEntityTooLargeException()
    {
    }

    public StateEntityTooLargeException(string message)
        : base(message)
    {
    }

    public StateEntityTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
