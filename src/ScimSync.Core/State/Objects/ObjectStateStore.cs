using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;
using ScimSync.Core.State.Escrow;

namespace ScimSync.Core.State.Objects;

/// <summary>
/// The Objects table: partition = job + kind, row = source id. Every write is guarded by the ETag the caller read,
/// so two workers handling the same object cannot silently overwrite each other.
/// </summary>
public sealed class ObjectStateStore(StateTables tables, EscrowPolicy escrowPolicy, TimeProvider timeProvider)
{
    private const int FailureRecordAttempts = 5;

    public async Task<Versioned<ObjectState>?> GetAsync(
        JobId job, ObjectKind kind, SourceId sourceId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Objects, cancellationToken);
        var entity = await TableWrites.GetOrNullAsync(table, PartitionKey(job, kind), RowKey(sourceId), cancellationToken);
        return entity is null ? null : new Versioned<ObjectState>(FromEntity(job, kind, entity), entity.ETag);
    }

    /// <summary>
    /// Saves the whole row. <paramref name="expected"/> null inserts (conflict if the object already has a row);
    /// otherwise the row must still have that ETag.
    /// </summary>
    /// <exception cref="StateEntityTooLargeException">The last applied attributes are too large for one row.</exception>
    public async Task<WriteResult> SaveAsync(ObjectState state, ETag? expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var table = await tables.GetAsync(StateTable.Objects, cancellationToken);
        var stamped = state with { UpdatedAt = timeProvider.GetUtcNow() };
        return await TableWrites.WriteAsync(table, ToEntity(stamped), expected, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Saves the state of an object that was just applied successfully, leaving escrow (count, next retry, last error).
    /// </summary>
    public Task<WriteResult> RecordSuccessAsync(ObjectState state, ETag? expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return SaveAsync(state with { EscrowCount = 0, NextRetryAt = null, LastError = null }, expected, cancellationToken);
    }

    /// <summary>
    /// Puts the object in escrow, or keeps it there: counts the failure, keeps the error, and schedules the next retry
    /// with the escrow policy. Everything else on the row (target id, last applied state, ownership) is kept. The
    /// failure is applied to the freshest row, re-reading on a conflict, so a concurrent write never loses it.
    /// </summary>
    /// <returns>The object's state as saved.</returns>
    public async Task<Versioned<ObjectState>> RecordFailureAsync(
        JobId job, ObjectKind kind, SourceId sourceId, ObjectError error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        for (var attempt = 0; attempt < FailureRecordAttempts; attempt++)
        {
            var current = await GetAsync(job, kind, sourceId, cancellationToken);
            var state = current?.Value ?? new ObjectState(job, kind, sourceId);
            var count = state.EscrowCount + 1;
            var escrowed = state with
            {
                Status = ObjectStatus.Escrowed,
                EscrowCount = count,
                NextRetryAt = escrowPolicy.NextRetryAt(count),
                LastError = error,
            };
            var written = await SaveAsync(escrowed, current?.ETag, cancellationToken);
            if (!written.IsConflict)
            {
                return new Versioned<ObjectState>(escrowed with { UpdatedAt = timeProvider.GetUtcNow() }, written.ETag);
            }
        }

        throw new InvalidOperationException(
            $"Could not record the failure of {kind} '{sourceId}' in job '{job}': the row changed on every one of {FailureRecordAttempts} attempts.");
    }

    /// <summary>Escrowed objects whose next retry is due now, for the cycle to enqueue again.</summary>
    public IAsyncEnumerable<Versioned<ObjectState>> ListDueEscrowsAsync(
        JobId job, ObjectKind kind, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        return QueryAsync(job, kind, TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job, kind)} and EscrowCount gt {0} and NextRetryAt le {now}"), cancellationToken);
    }

    /// <summary>Every object in escrow, due or not, for the status page.</summary>
    public IAsyncEnumerable<Versioned<ObjectState>> ListEscrowsAsync(
        JobId job, ObjectKind kind, CancellationToken cancellationToken = default) =>
        QueryAsync(job, kind, TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job, kind)} and EscrowCount gt {0}"), cancellationToken);

    /// <summary>Every object of the kind the job knows (e.g. for the full-read floor guard).</summary>
    public IAsyncEnumerable<Versioned<ObjectState>> ListAsync(
        JobId job, ObjectKind kind, CancellationToken cancellationToken = default) =>
        QueryAsync(job, kind, TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(job, kind)}"), cancellationToken);

    internal static string PartitionKey(JobId job, ObjectKind kind) => TableKey.Compose(job.Value, kind.ToString());

    internal static string RowKey(SourceId sourceId) => TableKey.Compose(sourceId.Value);

    private async IAsyncEnumerable<Versioned<ObjectState>> QueryAsync(
        JobId job, ObjectKind kind, string filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTable.Objects, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return new Versioned<ObjectState>(FromEntity(job, kind, entity), entity.ETag);
        }
    }

    private static TableEntity ToEntity(ObjectState state)
    {
        var entity = new TableEntity(PartitionKey(state.Job, state.Kind), RowKey(state.SourceId))
        {
            ["SourceId"] = state.SourceId.Value,
            ["Status"] = state.Status.ToString(),
            ["CreatedOrAdopted"] = state.CreatedOrAdopted,
            ["EscrowCount"] = state.EscrowCount,
        };
        SetIfPresent(entity, "TargetId", state.TargetId?.Value);
        SetIfPresent(entity, "MatchedBy", state.MatchedBy);
        SetIfPresent(entity, "AppliedHash", state.AppliedHash);
        if (state.NextRetryAt is { } next)
        {
            entity["NextRetryAt"] = next;
        }

        if (state.UpdatedAt is { } updated)
        {
            entity["UpdatedAt"] = updated;
        }

        if (state.LastError is { } error)
        {
            entity["LastError"] = JsonSerializer.Serialize(error, StateJsonContext.Default.ObjectError);
        }

        var applied = JsonSerializer.Serialize(
            new Dictionary<string, JsonElement>(state.LastApplied.Values, StringComparer.OrdinalIgnoreCase),
            StateJsonContext.Default.DictionaryStringJsonElement);
        LargeStringProperty.Write(entity, "LastApplied", applied, $"The last applied attributes of {state.Kind} '{state.SourceId}' in job '{state.Job}'");
        return entity;
    }

    private static ObjectState FromEntity(JobId job, ObjectKind kind, TableEntity entity)
    {
        var applied = LargeStringProperty.Read(entity, "LastApplied");
        return new ObjectState(job, kind, new SourceId(entity.GetString("SourceId") ?? TableKey.UnescapePart(entity.RowKey)))
        {
            TargetId = entity.GetString("TargetId") is { } target ? new TargetId(target) : null,
            MatchedBy = entity.GetString("MatchedBy"),
            AppliedHash = entity.GetString("AppliedHash"),
            LastApplied = applied is null
                ? ScimAttributes.Empty
                : ScimAttributes.From(JsonSerializer.Deserialize(applied, StateJsonContext.Default.DictionaryStringJsonElement) ?? []),
            Status = Enum.Parse<ObjectStatus>(entity.GetString("Status") ?? nameof(ObjectStatus.Provisioned)),
            CreatedOrAdopted = entity.GetBoolean("CreatedOrAdopted") ?? false,
            EscrowCount = entity.GetInt32("EscrowCount") ?? 0,
            NextRetryAt = entity.GetDateTimeOffset("NextRetryAt"),
            LastError = entity.GetString("LastError") is { } error ? JsonSerializer.Deserialize(error, StateJsonContext.Default.ObjectError) : null,
            UpdatedAt = entity.GetDateTimeOffset("UpdatedAt"),
        };
    }

    private static void SetIfPresent(TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }
}
