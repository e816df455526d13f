using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Objects;

/// <summary>The outcome of linking a target object to a source object.</summary>
public abstract record TargetLinkResult
{
    private protected TargetLinkResult()
    {
    }

    /// <summary>The target object is the caller's: it may write to it and record it as its own.</summary>
    public sealed record Linked : TargetLinkResult;

    /// <summary>Another source object of the job holds the target object; the caller must leave it alone.</summary>
    public sealed record HeldBy(SourceId Owner) : TargetLinkResult;
}

/// <summary>
/// Which source object each target object of a job belongs to, so that two source objects that map to the same
/// matching value (two users with one mail address, say) can never share, and overwrite, one account. Each link is an
/// insert-only row keyed by the target id in the partition of the job's objects of the kind (see
/// <see cref="ObjectStateStore.WriteLinkAsync"/>), written before, or in one transaction with, the state that records
/// a target object the source object created or adopted: of two contenders only the first insert wins.
/// </summary>
/// <remarks>
/// A link is only as good as its owner's claim on the target object: it holds while the owner's state still names the
/// target object, or while the owner holds its create claim (it is between linking and saving its state). A link
/// whose owner has moved on (deleted from the state, re-created elsewhere, a restart with the full scope) is taken
/// over, so links never need cleaning up.
/// </remarks>
public sealed class TargetLinkStore(ObjectStateStore objects, TimeProvider time)
{
    private const int Attempts = 5;

    /// <summary>Links <paramref name="target"/> to <paramref name="source"/>, unless another source object holds it.</summary>
    public async Task<TargetLinkResult> LinkAsync(
        JobId job, ObjectKind kind, TargetId target, SourceId source, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (!(await objects.WriteLinkAsync(job, kind, target, source, null, cancellationToken)).IsConflict)
            {
                return new TargetLinkResult.Linked();
            }

            var existing = await objects.GetLinkAsync(job, kind, target, cancellationToken);
            if (existing is null)
            {
                continue;
            }

            var owner = existing.Value;
            if (owner == source)
            {
                return new TargetLinkResult.Linked();
            }

            if (await HoldsAsync(job, kind, target, owner, cancellationToken))
            {
                return new TargetLinkResult.HeldBy(owner);
            }

            if (!(await objects.WriteLinkAsync(job, kind, target, source, existing.ETag, cancellationToken)).IsConflict)
            {
                return new TargetLinkResult.Linked();
            }
        }

        throw new InvalidOperationException(
            $"Could not link {kind} {target} to '{source}' in job '{job}': the link changed on every one of {Attempts} attempts.");
    }

    /// <summary>The source object other than <paramref name="source"/> that holds <paramref name="target"/>, if any. Reads only.</summary>
    public async Task<SourceId?> HolderOtherThanAsync(
        JobId job, ObjectKind kind, TargetId target, SourceId source, CancellationToken cancellationToken = default)
    {
        if (await objects.GetLinkAsync(job, kind, target, cancellationToken) is not { } existing || existing.Value == source)
        {
            return null;
        }

        return await HoldsAsync(job, kind, target, existing.Value, cancellationToken) ? existing.Value : null;
    }

    private async Task<bool> HoldsAsync(JobId job, ObjectKind kind, TargetId target, SourceId owner, CancellationToken cancellationToken)
    {
        var state = (await objects.GetAsync(job, kind, owner, cancellationToken))?.Value;
        return state?.TargetId == target || (state?.Claim is { } claim && claim.ExpiresAt > time.GetUtcNow());
    }
}
