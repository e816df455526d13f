namespace ScimSync.Core.State.Objects;

/// <summary>A worker's exclusive right, until <see cref="ExpiresAt"/>, to create one object in the target, kept on the object's row.</summary>
public sealed record CreateClaim(string Holder, DateTimeOffset ExpiresAt);

/// <summary>The outcome of claiming the create of an object (<see cref="ObjectStateStore.TryClaimCreateAsync"/>).</summary>
public abstract record CreateClaimResult
{
    private protected CreateClaimResult()
    {
    }

    /// <summary>The caller may create the object; <see cref="Row"/> is the row as claimed, to save the created object's state on.</summary>
    public sealed record Won(Versioned<ObjectState> Row) : CreateClaimResult;

    /// <summary>Another worker is creating it: retry the work item later, then it will find the object's state.</summary>
    public sealed record Lost(string Holder, DateTimeOffset ExpiresAt) : CreateClaimResult;

    /// <summary>The row changed since the caller read it: read it again and decide anew.</summary>
    public sealed record Changed : CreateClaimResult;
}
