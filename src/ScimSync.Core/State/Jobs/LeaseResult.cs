namespace ScimSync.Core.State.Jobs;

/// <summary>The outcome of asking for a job's cycle lease.</summary>
public abstract record LeaseResult
{
    private protected LeaseResult()
    {
    }

    /// <summary>The caller holds the lease until <see cref="CycleLease.ExpiresAt"/>.</summary>
    public sealed record Acquired(CycleLease Lease) : LeaseResult;

    /// <summary>Another cycle holds the lease; the caller should log it and return.</summary>
    public sealed record HeldByOther(CycleLease Lease) : LeaseResult;
}
