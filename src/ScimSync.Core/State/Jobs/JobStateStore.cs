using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScimSync.Core.Identity;

namespace ScimSync.Core.State.Jobs;

/// <summary>
/// The Jobs table: one row per job (partition = job, row = <c>state</c>) with its status, counters, last cycle and
/// cycle lease. The lease shares the row but is written only by the lease methods, with Merge, so saving the status
/// never releases or steals a lease and taking a lease never overwrites the status.
/// </summary>
public sealed class JobStateStore(StateTables tables, TimeProvider timeProvider)
{
    internal const string RowKey = "state";

    private const int LeaseAttempts = 4;

    /// <summary>The job's state, or null when the job has never run.</summary>
    public async Task<Versioned<JobState>?> GetAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Jobs, cancellationToken);
        var entity = await TableWrites.GetOrNullAsync(table, PartitionKey(job), RowKey, cancellationToken);
        return entity is null ? null : new Versioned<JobState>(FromEntity(job, entity), entity.ETag);
    }

    /// <summary>
    /// Saves status, reason, next attempt, counters and last cycle. <paramref name="expected"/> null inserts a new
    /// row (conflict if the job already has one); otherwise the row must still have that ETag. The lease is untouched.
    /// </summary>
    public async Task<WriteResult> SaveAsync(JobState state, ETag? expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var table = await tables.GetAsync(StateTable.Jobs, cancellationToken);
        return await TableWrites.WriteAsync(table, ToEntity(state), expected, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// Takes the job's cycle lease for <paramref name="duration"/> if nobody holds it, it has expired, or
    /// <paramref name="holder"/> already holds it (which extends it). Exactly one of several contenders wins.
    /// </summary>
    public async Task<LeaseResult> TryAcquireLeaseAsync(
        JobId job, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var table = await tables.GetAsync(StateTable.Jobs, cancellationToken);

        for (var attempt = 0; ; attempt++)
        {
            var now = timeProvider.GetUtcNow();
            var lease = new CycleLease(job, holder, now + duration);
            var entity = await TableWrites.GetOrNullAsync(table, PartitionKey(job), RowKey, cancellationToken);
            WriteResult written;
            if (entity is null)
            {
                var fresh = ToEntity(new JobState(job));
                SetLease(fresh, holder, lease.ExpiresAt);
                written = await TableWrites.WriteAsync(table, fresh, null, TableUpdateMode.Merge, cancellationToken);
            }
            else
            {
                var current = ReadLease(job, entity);
                if (current is not null && current.Holder != holder && current.ExpiresAt > now)
                {
                    return new LeaseResult.HeldByOther(current);
                }

                var update = new TableEntity(PartitionKey(job), RowKey);
                SetLease(update, holder, lease.ExpiresAt);
                written = await TableWrites.WriteAsync(table, update, entity.ETag, TableUpdateMode.Merge, cancellationToken);
            }

            if (!written.IsConflict)
            {
                return new LeaseResult.Acquired(lease);
            }

            // Someone wrote the row between our read and write: usually a contender taking the lease. Read again
            // to find out; give up after a few rounds rather than spin against a busy row.
            if (attempt == LeaseAttempts - 1)
            {
                var latest = await GetAsync(job, cancellationToken);
                return new LeaseResult.HeldByOther(latest?.Value.Lease ?? new CycleLease(job, "(unknown)", now + duration));
            }
        }
    }

    /// <summary>Extends a lease the caller holds; <see cref="LeaseResult.HeldByOther"/> when it was lost.</summary>
    public Task<LeaseResult> RenewLeaseAsync(CycleLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return TryAcquireLeaseAsync(lease.Job, lease.Holder, duration, cancellationToken);
    }

    /// <summary>
    /// Gives the lease up so the next cycle need not wait for it to expire. Returns false when the caller no longer
    /// held it (it expired and someone else took it).
    /// </summary>
    public async Task<bool> ReleaseLeaseAsync(CycleLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var table = await tables.GetAsync(StateTable.Jobs, cancellationToken);
        for (var attempt = 0; attempt < LeaseAttempts; attempt++)
        {
            var entity = await TableWrites.GetOrNullAsync(table, PartitionKey(lease.Job), RowKey, cancellationToken);
            if (entity is null || ReadLease(lease.Job, entity)?.Holder != lease.Holder)
            {
                return false;
            }

            var update = new TableEntity(PartitionKey(lease.Job), RowKey);
            SetLease(update, string.Empty, DateTimeOffset.UnixEpoch);
            var written = await TableWrites.WriteAsync(table, update, entity.ETag, TableUpdateMode.Merge, cancellationToken);
            if (!written.IsConflict)
            {
                return true;
            }
        }

        return false;
    }

    internal static string PartitionKey(JobId job) => TableKey.Compose(job.Value);

    private static void SetLease(TableEntity entity, string holder, DateTimeOffset expiresAt)
    {
        entity["LeaseHolder"] = holder;
        entity["LeaseExpiresAt"] = expiresAt;
    }

    private static CycleLease? ReadLease(JobId job, TableEntity entity) =>
        entity.GetString("LeaseHolder") is { Length: > 0 } holder && entity.GetDateTimeOffset("LeaseExpiresAt") is { } expires
            ? new CycleLease(job, holder, expires)
            : null;

    private static TableEntity ToEntity(JobState state)
    {
        var entity = new TableEntity(PartitionKey(state.Job), RowKey)
        {
            ["JobId"] = state.Job.Value,
            ["Status"] = state.Status.ToString(),
            ["Reason"] = state.Reason ?? string.Empty,
            ["Counters"] = JsonSerializer.Serialize(state.Counters, StateJsonContext.Default.JobCounters),
            ["LastCycle"] = state.LastCycle is null ? string.Empty : JsonSerializer.Serialize(state.LastCycle, StateJsonContext.Default.CycleSummary),
        };

        // Merge keeps columns that are absent, so "no value" is written as an explicit empty marker.
        entity["HasNextAttempt"] = state.NextAttemptAt.HasValue;
        entity["NextAttemptAt"] = state.NextAttemptAt ?? DateTimeOffset.UnixEpoch;
        entity["HasQuarantinedSince"] = state.QuarantinedSince.HasValue;
        entity["QuarantinedSince"] = state.QuarantinedSince ?? DateTimeOffset.UnixEpoch;
        entity["HasNextCycleAt"] = state.NextCycleAt.HasValue;
        entity["NextCycleAt"] = state.NextCycleAt ?? DateTimeOffset.UnixEpoch;
        return entity;
    }

    private static JobState FromEntity(JobId job, TableEntity entity) => new(job)
    {
        Status = Enum.Parse<JobStatus>(entity.GetString("Status") ?? nameof(JobStatus.Active)),
        Reason = entity.GetString("Reason") is { Length: > 0 } reason ? reason : null,
        NextAttemptAt = entity.GetBoolean("HasNextAttempt") == true ? entity.GetDateTimeOffset("NextAttemptAt") : null,
        QuarantinedSince = entity.GetBoolean("HasQuarantinedSince") == true ? entity.GetDateTimeOffset("QuarantinedSince") : null,
        NextCycleAt = entity.GetBoolean("HasNextCycleAt") == true ? entity.GetDateTimeOffset("NextCycleAt") : null,
        Counters = entity.GetString("Counters") is { Length: > 0 } counters
            ? JsonSerializer.Deserialize(counters, StateJsonContext.Default.JobCounters) ?? new JobCounters()
            : new JobCounters(),
        LastCycle = entity.GetString("LastCycle") is { Length: > 0 } last
            ? JsonSerializer.Deserialize(last, StateJsonContext.Default.CycleSummary)
            : null,
        Lease = ReadLease(job, entity),
    };
}
