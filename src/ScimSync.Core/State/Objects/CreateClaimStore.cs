using Azure;
using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Objects;

/// <summary>A worker's exclusive right, until <see cref="ExpiresAt"/>, to create one object in the target.</summary>
public sealed record CreateClaim(JobId Job, ObjectKind Kind, SourceId SourceId, string Holder, DateTimeOffset ExpiresAt, ETag ETag);

/// <summary>The outcome of claiming the create of an object.</summary>
public abstract record CreateClaimResult
{
    private protected CreateClaimResult()
    {
    }

    /// <summary>The caller may create the object; release the claim once its state is saved.</summary>
    public sealed record Won(CreateClaim Claim) : CreateClaimResult;

    /// <summary>Another worker is creating it: retry the work item later, then it will find the object's state.</summary>
    public sealed record Lost(string Holder, DateTimeOffset ExpiresAt) : CreateClaimResult;
}

/// <summary>
/// Lets concurrent workers race for the create of the same object so that exactly one creates it: the claim is an
/// insert-only row (partition = job + kind, row = source id) in the CreateClaims table, so only the first insert
/// succeeds. A claim expires, so a worker that crashed mid-create does not block the object forever; an expired
/// claim is taken over with an ETag-guarded update, which again only one contender can win.
/// </summary>
public sealed class CreateClaimStore(StateTables tables, TimeProvider timeProvider)
{
    /// <summary>Claims the create of the object for <paramref name="holder"/> for <paramref name="duration"/>.</summary>
    public async Task<CreateClaimResult> TryClaimAsync(
        JobId job, ObjectKind kind, SourceId sourceId, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var table = await tables.GetAsync(StateTable.CreateClaims, cancellationToken);
        var partition = ObjectStateStore.PartitionKey(job, kind);
        var row = ObjectStateStore.RowKey(sourceId);
        var now = timeProvider.GetUtcNow();
        var expires = now + duration;
        var claim = new TableEntity(partition, row) { ["Holder"] = holder, ["ExpiresAt"] = expires };

        var inserted = await TableWrites.WriteAsync(table, claim, null, TableUpdateMode.Replace, cancellationToken);
        if (!inserted.IsConflict)
        {
            return new CreateClaimResult.Won(new CreateClaim(job, kind, sourceId, holder, expires, inserted.ETag));
        }

        var existing = await TableWrites.GetOrNullAsync(table, partition, row, cancellationToken);
        if (existing is null)
        {
            // Released between our insert and our read: the object's state is being (or was) saved; let the caller
            // retry and find it rather than racing again here.
            return new CreateClaimResult.Lost("(released)", now);
        }

        var existingHolder = existing.GetString("Holder") ?? string.Empty;
        var existingExpiry = existing.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue;
        if (existingExpiry > now && existingHolder != holder)
        {
            return new CreateClaimResult.Lost(existingHolder, existingExpiry);
        }

        var takenOver = await TableWrites.WriteAsync(table, claim, existing.ETag, TableUpdateMode.Replace, cancellationToken);
        return takenOver.IsConflict
            ? new CreateClaimResult.Lost("(another worker)", expires)
            : new CreateClaimResult.Won(new CreateClaim(job, kind, sourceId, holder, expires, takenOver.ETag));
    }

    /// <summary>Whether a worker holds an unexpired claim on the create of the object right now.</summary>
    public async Task<bool> IsHeldAsync(JobId job, ObjectKind kind, SourceId sourceId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.CreateClaims, cancellationToken);
        var existing = await TableWrites.GetOrNullAsync(table, ObjectStateStore.PartitionKey(job, kind), ObjectStateStore.RowKey(sourceId), cancellationToken);
        return existing?.GetDateTimeOffset("ExpiresAt") is { } expires && expires > timeProvider.GetUtcNow();
    }

    /// <summary>
    /// Removes the claim after the object's state (with its target id) is saved. Returns false if the claim had
    /// expired and another worker took it over.
    /// </summary>
    public async Task<bool> ReleaseAsync(CreateClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var table = await tables.GetAsync(StateTable.CreateClaims, cancellationToken);
        var deleted = await TableWrites.DeleteAsync(
            table, ObjectStateStore.PartitionKey(claim.Job, claim.Kind), ObjectStateStore.RowKey(claim.SourceId), claim.ETag, cancellationToken);
        return !deleted.IsConflict;
    }
}
