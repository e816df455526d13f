using ScimSync.Core.Identity;
using ScimSync.Core.State;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Core.Cycle;

/// <summary>Read-modify-write of a job's state row, retried on ETag conflicts so concurrent writers never lose an update.</summary>
internal static class JobStateUpdates
{
    private const int Attempts = 8;

    /// <summary>
    /// Applies <paramref name="change"/> to the freshest state and saves it; returns the state as saved. A change that
    /// returns the state it was given writes nothing.
    /// </summary>
    public static async Task<JobState> UpdateAsync(
        this JobStateStore store, JobId job, Func<JobState, JobState> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await store.GetAsync(job, cancellationToken);
            var before = current?.Value ?? new JobState(job);
            var next = change(before);
            if (current is not null && ReferenceEquals(next, before))
            {
                // Nothing to change: many workers reporting the same thing at once must not fight over the row.
                return next;
            }

            var written = await store.SaveAsync(next, current?.ETag, cancellationToken);
            if (!written.IsConflict)
            {
                return next;
            }
        }

        throw new InvalidOperationException(
            $"Could not update the state of job '{job}': the row changed on every one of {Attempts} attempts. Try again.");
    }
}
