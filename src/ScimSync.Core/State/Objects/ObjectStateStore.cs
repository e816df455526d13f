using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.State.Escrow;

namespace ScimSync.Core.State.Objects;

/// <summary>
/// The Objects table: partition = job + kind, row = source id. Every write is guarded by the ETag the caller read,
/// so two workers handling the same object cannot silently overwrite each other. The partition also holds the links
/// of target objects to their source objects (<see cref="TargetLinkStore"/>), so that a created object's state and its
/// link are written in one transaction; a link's row key starts with <see cref="TableKey.Separator"/>, which no
/// object's row key contains, and every query of objects leaves links out.
/// </summary>
public sealed class ObjectStateStore(StateTables tables, EscrowPolicy escrowPolicy, TimeProvider timeProvider)
{
    private const int FailureRecordAttempts = 5;

    private const string LinkOwner = "LinkedTo";

    private static readonly string LinkKeyPrefix = TableKey.Separator.ToString();

    private static readonly string LinkKeysEnd = ((char)(TableKey.Separator + 1)).ToString();

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
    /// Saves the state of an object that was just applied successfully, leaving escrow (count, next retry, last error),
    /// and settles in the same write the pending change <paramref name="settles"/> names, if it is still the pending one.
    /// </summary>
    public Task<WriteResult> RecordSuccessAsync(ObjectState state, ETag? expected, string? settles = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return SaveAsync(Succeeded(state, settles), expected, cancellationToken);
    }

    /// <summary>
    /// Records a target object the worker's own create just made, as <see cref="RecordSuccessAsync"/> does, and links
    /// it to the object in the same transaction (see <see cref="TargetLinkStore"/>): the state is never recorded without
    /// its link, and the link write costs no request of its own.
    /// </summary>
    /// <exception cref="StateEntityTooLargeException">The last applied attributes are too large for one row.</exception>
    public async Task<CreatedRecordResult> RecordCreatedAsync(ObjectState state, ETag expected, string? settles = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var target = state.TargetId ?? throw new ArgumentException($"The created {state.Kind} '{state.SourceId}' has no target id.", nameof(state));
        var table = await tables.GetAsync(StateTable.Objects, cancellationToken);
        var row = ToEntity(Succeeded(state, settles) with { UpdatedAt = timeProvider.GetUtcNow() });
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.UpdateReplace, row, expected),
            new(TableTransactionActionType.Add, LinkEntity(state.Job, state.Kind, target, state.SourceId)),
        ];
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return CreatedRecordResult.Recorded;
        }
        catch (TableTransactionFailedException failed) when (TableWrites.IsConcurrencyConflict(failed))
        {
            return failed.FailedTransactionActionIndex == 1 ? CreatedRecordResult.LinkTaken : CreatedRecordResult.RowChanged;
        }
    }

    /// <summary>
    /// Writes the link of <paramref name="target"/> to <paramref name="owner"/>: inserts it when <paramref name="expected"/>
    /// is null (a conflict if the target object is linked already), otherwise takes it over if it still has that ETag.
    /// </summary>
    public async Task<WriteResult> WriteLinkAsync(
        JobId job, ObjectKind kind, TargetId target, SourceId owner, ETag? expected, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Objects, cancellationToken);
        return await TableWrites.WriteAsync(table, LinkEntity(job, kind, target, owner), expected, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The source object <paramref name="target"/> is linked to, if any, with the ETag to take the link over with.</summary>
    public async Task<Versioned<SourceId>?> GetLinkAsync(JobId job, ObjectKind kind, TargetId target, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Objects, cancellationToken);
        var entity = await TableWrites.GetOrNullAsync(table, PartitionKey(job, kind), LinkRowKey(target), cancellationToken);
        return entity?.GetString(LinkOwner) is { } owner ? new Versioned<SourceId>(new SourceId(owner), entity.ETag) : null;
    }

    /// <summary>
    /// Claims the create of an object for <paramref name="holder"/> until <paramref name="duration"/> from now, on the
    /// object's own row: the claim is written with the ETag <paramref name="current"/> was read with (inserted when the
    /// object has no row yet), so of the workers that read the same row only one claims it, and one whose row changed
    /// since it read it must decide again. A claim whose holder crashed expires and is taken over the same way.
    /// </summary>
    public async Task<CreateClaimResult> TryClaimCreateAsync(
        JobId job, ObjectKind kind, SourceId sourceId, Versioned<ObjectState>? current, string holder, TimeSpan duration,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = timeProvider.GetUtcNow();
        if (current?.Value.Claim is { } held && held.Holder != holder && held.ExpiresAt > now)
        {
            return new CreateClaimResult.Lost(held.Holder, held.ExpiresAt);
        }

        var claimed = (current?.Value ?? new ObjectState(job, kind, sourceId)) with { Claim = new CreateClaim(holder, now + duration), UpdatedAt = now };
        var written = await SaveAsync(claimed, current?.ETag, cancellationToken);
        return written.IsConflict ? new CreateClaimResult.Changed() : new CreateClaimResult.Won(new Versioned<ObjectState>(claimed, written.ETag));
    }

    /// <summary>
    /// Removes a claim that did not end in a saved state (the create failed), starting from the row as claimed and
    /// re-reading on a conflicting write; a claim another worker took over meanwhile is left alone.
    /// </summary>
    public async Task ReleaseCreateClaimAsync(Versioned<ObjectState> claimed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var holder = claimed.Value.Claim?.Holder;
        var current = (Versioned<ObjectState>?)claimed;
        for (var attempt = 0; attempt < FailureRecordAttempts; attempt++)
        {
            if (current is null || holder is null || current.Value.Claim?.Holder != holder)
            {
                return;
            }

            if (!(await SaveAsync(current.Value with { Claim = null }, current.ETag, cancellationToken)).IsConflict)
            {
                return;
            }

            current = await GetAsync(claimed.Value.Job, claimed.Value.Kind, claimed.Value.SourceId, cancellationToken);
        }
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
        return QueryAsync(job, kind, TableClient.CreateQueryFilter($"EscrowCount gt {0} and NextRetryAt le {now}"), cancellationToken);
    }

    /// <summary>Every object in escrow, due or not, for the status page.</summary>
    public IAsyncEnumerable<Versioned<ObjectState>> ListEscrowsAsync(
        JobId job, ObjectKind kind, CancellationToken cancellationToken = default) =>
        QueryAsync(job, kind, TableClient.CreateQueryFilter($"EscrowCount gt {0}"), cancellationToken);

    /// <summary>Every object of the kind the job knows (e.g. for the full-read floor guard).</summary>
    public IAsyncEnumerable<Versioned<ObjectState>> ListAsync(
        JobId job, ObjectKind kind, CancellationToken cancellationToken = default) =>
        QueryAsync(job, kind, null, cancellationToken);

    /// <summary>
    /// Records, before the cycle enqueues anything, the change each object is to receive (level-triggered state): the
    /// pending change, when it is next due for a re-drive, and the object's name for the status page. Only those
    /// columns are merged, so what a worker recorded about the target stays; an object with no row yet
    /// (<see cref="PendingRecord.NoRowYet"/>) gets its row inserted whole (<see cref="NewRow"/>). Rows are written in
    /// transactions of 100 per kind; a transaction one of whose rows exists after all is merged instead. Redone by a
    /// repeated cycle without harm.
    /// </summary>
    /// <returns>The rows inserted whole, as <see cref="GetAsync"/> would read them.</returns>
    public async Task<IReadOnlyDictionary<(ObjectKind Kind, SourceId SourceId), Versioned<ObjectState>>> RecordPendingAsync(
        JobId job, IEnumerable<PendingRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var table = await tables.GetAsync(StateTable.Objects, cancellationToken);
        var inserted = new Dictionary<(ObjectKind, SourceId), Versioned<ObjectState>>();
        var latest = records.GroupBy(record => (record.Kind, record.SourceId)).Select(rows => rows.Last());
        foreach (var batch in latest.GroupBy(record => record.Kind).SelectMany(kind => kind.Chunk(TableWrites.MaxTransactionSize)))
        {
            try
            {
                var responses = (await table.SubmitTransactionAsync(batch.Select(record => record.NoRowYet
                    ? new TableTransactionAction(TableTransactionActionType.Add, ToEntity(NewRow(job, record)))
                    : Merge(job, record)), cancellationToken)).Value;
                for (var i = 0; i < batch.Length; i++)
                {
                    if (batch[i].NoRowYet && responses[i].Headers.ETag is { } etag)
                    {
                        inserted[(batch[i].Kind, batch[i].SourceId)] = new Versioned<ObjectState>(NewRow(job, batch[i]), etag);
                    }
                }
            }
            catch (TableTransactionFailedException exists) when (exists.Status == 409)
            {
                await table.SubmitTransactionAsync(batch.Select(record => Merge(job, record)), cancellationToken);
            }
        }

        return inserted;
    }

    /// <summary>The row <see cref="RecordPendingAsync"/> inserts for an object that has none: the record's columns and nothing else.</summary>
    public static ObjectState NewRow(JobId job, PendingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ObjectState(job, record.Kind, record.SourceId)
        {
            Pending = record.Change,
            MembersPending = record.MembersPending,
            NextRetryAt = record.DueAt,
            DisplayName = record.DisplayName,
        };
    }

    /// <summary>
    /// The row the cycle inserted for the object of <paramref name="item"/>, rebuilt from what the item carries, with
    /// the insert's ETag; null when the item carries none.
    /// </summary>
    public static Versioned<ObjectState>? InsertedRowOf(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.InsertedRow is { } row
            ? new Versioned<ObjectState>(
                NewRow(item.Job, new PendingRecord(item.Kind, item.SourceId, new PendingChange(item.Operation, item.ChangeId, row.PendingSince), row.MembersPending, row.DueAt, row.DisplayName)),
                new ETag(row.ETag))
            : null;
    }

    /// <summary>
    /// <paramref name="item"/> carrying <paramref name="inserted"/>, the row <see cref="RecordPendingAsync"/> inserted for
    /// its object, when <see cref="InsertedRowOf"/> rebuilds exactly that row from it; otherwise the item as it is.
    /// </summary>
    public static WorkItem WithInsertedRow(WorkItem item, Versioned<ObjectState> inserted)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(inserted);
        if (item.Operation != WorkOperation.Upsert || inserted.Value.Pending is not { } pending || inserted.Value.NextRetryAt is not { } due)
        {
            return item;
        }

        var carrying = item.WithInsertedRow(new InsertedRow(inserted.ETag.ToString(), pending.Since, due, inserted.Value.MembersPending, inserted.Value.DisplayName));
        return InsertedRowOf(carrying) == inserted ? carrying : item;
    }

    /// <summary>
    /// Settles what a worker finished: clears the pending change when it is the one <paramref name="changeId"/>
    /// names (a newer change recorded meanwhile stays pending), and the group's pending members when
    /// <paramref name="membersSettled"/>. Starts from <paramref name="known"/> (the row as the worker last read or wrote
    /// it) when given, and re-reads on a conflicting write, so a concurrent cycle is never overwritten. The members were
    /// judged settled against <paramref name="known"/>: a row whose members were marked pending again since keeps its
    /// mark, and the next cycle looks at the group's edges.
    /// </summary>
    public async Task SettleAsync(
        JobId job, ObjectKind kind, SourceId sourceId, string? changeId, bool membersSettled, Versioned<ObjectState>? known = null,
        CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < FailureRecordAttempts; attempt++)
        {
            var current = attempt == 0 && known is not null ? known : await GetAsync(job, kind, sourceId, cancellationToken);
            if (current is null)
            {
                return;
            }

            var state = current.Value;
            var settlesChange = changeId is not null && state.Pending?.ChangeId == changeId;
            var settlesMembers = membersSettled && state.MembersPending && (known is null || !MarkedAgainSince(known.Value, state));
            if (!settlesChange && !settlesMembers)
            {
                return;
            }

            var settled = state with
            {
                Pending = settlesChange ? null : state.Pending,
                MembersPending = state.MembersPending && !settlesMembers,
                NextRetryAt = settlesChange && state.EscrowCount == 0 && !state.MembersPending ? null : state.NextRetryAt,
            };
            if (!(await SaveAsync(settled, current.ETag, cancellationToken)).IsConflict)
            {
                return;
            }
        }

        throw new InvalidOperationException(
            $"Could not settle {kind} '{sourceId}' in job '{job}': the row changed on every one of {FailureRecordAttempts} attempts.");
    }

    /// <summary>
    /// Keeps an object's change pending after an attempt that did not apply it: counts the attempt when
    /// <paramref name="countsAgainstObject"/>, marks it poisoned when <paramref name="poisoned"/>, records the error and
    /// when the next cycle may enqueue it again. An object with no pending change gets one (e.g. an item from before an upgrade).
    /// </summary>
    public async Task<Versioned<ObjectState>> RecordUnsettledAsync(
        JobId job, ObjectKind kind, SourceId sourceId, WorkOperation operation, string changeId, ObjectError? error,
        bool countsAgainstObject, bool poisoned, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < FailureRecordAttempts; attempt++)
        {
            var current = await GetAsync(job, kind, sourceId, cancellationToken);
            var state = current?.Value ?? new ObjectState(job, kind, sourceId);
            var pending = state.Pending is { } existing && (existing.ChangeId == changeId || operation == WorkOperation.MembershipChunk)
                ? existing
                : operation == WorkOperation.MembershipChunk ? null : new PendingChange(operation, changeId, timeProvider.GetUtcNow());
            var updated = state with
            {
                Pending = pending is null ? null : pending with
                {
                    Attempts = pending.Attempts + (countsAgainstObject ? 1 : 0),
                    Poisoned = pending.Poisoned || poisoned,
                },
                MembersPending = state.MembersPending || operation == WorkOperation.MembershipChunk,
                NextRetryAt = state.NextRetryAt is { } retry && retry > dueAt ? retry : dueAt,
                LastError = error ?? state.LastError,
            };
            var written = await SaveAsync(updated, current?.ETag, cancellationToken);
            if (!written.IsConflict)
            {
                return new Versioned<ObjectState>(updated, written.ETag);
            }
        }

        throw new InvalidOperationException(
            $"Could not record the unsettled change of {kind} '{sourceId}' in job '{job}': the row changed on every one of {FailureRecordAttempts} attempts.");
    }

    /// <summary>Objects with a pending change or pending members, or in escrow, whose next retry is due: the cycle enqueues them again.</summary>
    public IAsyncEnumerable<Versioned<ObjectState>> ListDueAsync(JobId job, ObjectKind kind, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        return QueryAsync(job, kind, TableClient.CreateQueryFilter(
            $"NextRetryAt le {now} and (Pending eq {true} or MembersPending eq {true} or EscrowCount gt {0})"), cancellationToken);
    }

    /// <summary>
    /// Makes every unsettled object of the job due now and gives its change a fresh set of attempts, so the next cycle
    /// enqueues it again (an admin's retry after fixing a cause).
    /// </summary>
    /// <returns>How many objects were made due.</returns>
    public async Task<int> MakeUnsettledDueAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.Objects, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var count = 0;
        foreach (var kind in (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            var actions = new List<TableTransactionAction>();
            await foreach (var row in ListUnsettledAsync(job, kind, cancellationToken))
            {
                var entity = new TableEntity(PartitionKey(job, kind), RowKey(row.Value.SourceId)) { ["NextRetryAt"] = now, ["Attempts"] = 0 };
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, ETag.All));
            }

            await TableWrites.SubmitInBatchesAsync(table, actions, cancellationToken);
            count += actions.Count;
        }

        return count;
    }

    /// <summary>Every object whose target does not hold what the source wants yet: pending, poisoned, escrowed, or with pending members.</summary>
    public IAsyncEnumerable<Versioned<ObjectState>> ListUnsettledAsync(JobId job, ObjectKind kind, CancellationToken cancellationToken = default) =>
        QueryAsync(job, kind, TableClient.CreateQueryFilter(
            $"(Pending eq {true} or MembersPending eq {true} or EscrowCount gt {0})"), cancellationToken);

    private static TableTransactionAction Merge(JobId job, PendingRecord record)
    {
        var entity = new TableEntity(PartitionKey(job, record.Kind), RowKey(record.SourceId))
        {
            ["SourceId"] = record.SourceId.Value,
            ["NextRetryAt"] = record.DueAt,
        };
        if (record.Change is { } change)
        {
            entity["Pending"] = true;
            WritePending(entity, change);
        }

        if (record.MembersPending)
        {
            entity["MembersPending"] = true;
        }

        SetIfPresent(entity, "DisplayName", record.DisplayName);
        return new TableTransactionAction(TableTransactionActionType.UpsertMerge, entity);
    }

    /// <summary>
    /// Whether the row's pending members were marked again after <paramref name="judged"/> was read: every mark (a
    /// cycle's, a recreated member's, a failed slice's) sets a new retry time with it, which the object's own writes
    /// keep while members are pending.
    /// </summary>
    private static bool MarkedAgainSince(ObjectState judged, ObjectState current) =>
        !judged.MembersPending || current.NextRetryAt != judged.NextRetryAt;

    /// <summary>The state of an object just applied: out of escrow, and its change settled if it is <paramref name="settles"/>.</summary>
    private ObjectState Succeeded(ObjectState state, string? settles)
    {
        if (settles is not null && state.Pending?.ChangeId == settles)
        {
            state = state with { Pending = null };
        }

        // A change still pending keeps its retry time until a worker settles it, so a crash in between cannot strand it.
        DateTimeOffset? retry = state.Pending is null && !state.MembersPending ? null : state.NextRetryAt ?? timeProvider.GetUtcNow();
        return state with { EscrowCount = 0, NextRetryAt = retry, LastError = null };
    }

    internal static string PartitionKey(JobId job, ObjectKind kind) => TableKey.Compose(job.Value, kind.ToString());

    /// <summary>The objects of a partition, without its links: every row key below the separator, or above the next character.</summary>
    internal static string ObjectRowsFilter(JobId job, ObjectKind kind) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {PartitionKey(job, kind)} and (RowKey lt {LinkKeyPrefix} or RowKey ge {LinkKeysEnd})");

    private static string LinkRowKey(TargetId target) => LinkKeyPrefix + TableKey.EscapePart(target.Value);

    private static TableEntity LinkEntity(JobId job, ObjectKind kind, TargetId target, SourceId owner) =>
        new(PartitionKey(job, kind), LinkRowKey(target)) { [LinkOwner] = owner.Value };

    internal static string RowKey(SourceId sourceId) => TableKey.Compose(sourceId.Value);

    /// <summary>The objects of the job and kind that also meet <paramref name="condition"/>, if given.</summary>
    private async IAsyncEnumerable<Versioned<ObjectState>> QueryAsync(
        JobId job, ObjectKind kind, string? condition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTable.Objects, cancellationToken);
        var filter = condition is null ? ObjectRowsFilter(job, kind) : $"{ObjectRowsFilter(job, kind)} and {condition}";
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
        SetIfPresent(entity, "DisplayName", state.DisplayName);
        entity["MembersPending"] = state.MembersPending;
        entity["Pending"] = state.Pending is not null;
        if (state.Pending is { } pending)
        {
            WritePending(entity, pending);
        }

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

        if (state.Claim is { } claim)
        {
            entity["ClaimHolder"] = claim.Holder;
            entity["ClaimExpiresAt"] = claim.ExpiresAt;
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
            DisplayName = entity.GetString("DisplayName"),
            MembersPending = entity.GetBoolean("MembersPending") ?? false,
            Claim = entity.GetString("ClaimHolder") is { } holder
                ? new CreateClaim(holder, entity.GetDateTimeOffset("ClaimExpiresAt") ?? DateTimeOffset.MinValue)
                : null,
            Pending = entity.GetBoolean("Pending") == true && entity.GetString("PendingChange") is { } change
                ? new PendingChange(
                    Enum.TryParse<WorkOperation>(entity.GetString("PendingOperation"), out var operation) ? operation : WorkOperation.Upsert,
                    change,
                    entity.GetDateTimeOffset("PendingSince") ?? DateTimeOffset.MinValue,
                    entity.GetInt32("Attempts") ?? 0,
                    entity.GetBoolean("Poisoned") ?? false,
                    entity.GetInt32("Redrives") ?? 0)
                : null,
        };
    }

    private static void WritePending(TableEntity entity, PendingChange pending)
    {
        entity["PendingOperation"] = pending.Operation.ToString();
        entity["PendingChange"] = pending.ChangeId;
        entity["PendingSince"] = pending.Since;
        entity["Attempts"] = pending.Attempts;
        entity["Poisoned"] = pending.Poisoned;
        entity["Redrives"] = pending.Redrives;
    }

    private static void SetIfPresent(TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }
}
