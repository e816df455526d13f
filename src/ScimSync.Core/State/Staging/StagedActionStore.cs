using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.Queueing;

namespace ScimSync.Core.State.Staging;

/// <summary>The StagedActions table: partition = job, row = kind + source id.</summary>
public sealed class StagedActionStore(StateTables tables)
{
    /// <summary>
    /// Stages the actions. Staging an object again (a later cycle still wants it gone) replaces the earlier entry,
    /// so each object is held once.
    /// </summary>
    public async Task StageAsync(IEnumerable<StagedAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToList();
        if (list.FirstOrDefault(action => action.Operation is not (WorkOperation.Deprovision or WorkOperation.Delete)) is { } wrong)
        {
            throw new ArgumentException(
                $"Only deprovisions and deletes are staged; {wrong.Kind} '{wrong.SourceId}' has operation {wrong.Operation}.", nameof(actions));
        }

        var table = await tables.GetAsync(StateTable.StagedActions, cancellationToken);
        foreach (var job in list.GroupBy(action => action.Job))
        {
            var rows = job.Select(ToEntity)
                .GroupBy(entity => entity.RowKey, StringComparer.Ordinal)
                .Select(same => new TableTransactionAction(TableTransactionActionType.UpsertReplace, same.Last()));
            await TableWrites.SubmitInBatchesAsync(table, rows, cancellationToken);
        }
    }

    /// <summary>The job's staged actions, oldest first by object.</summary>
    public async IAsyncEnumerable<Versioned<StagedAction>> ListAsync(
        JobId job, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.StagedActions, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {JobStateStore.PartitionKey(job)}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return new Versioned<StagedAction>(FromEntity(job, entity), entity.ETag);
        }
    }

    /// <summary>
    /// Releases the job's staged actions in batches: each batch is handed to <paramref name="release"/> (which
    /// enqueues the work), and only after it returns are those actions removed, ETag-guarded, so a crash never loses
    /// a held action and an action re-staged meanwhile stays held.
    /// </summary>
    /// <returns>How many actions were released.</returns>
    public async Task<int> ReleaseAsync(
        JobId job, Func<IReadOnlyList<StagedAction>, CancellationToken, Task> release, int batchSize = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var staged = await ListAsync(job, cancellationToken).ToListAsync(cancellationToken);
        var table = await tables.GetAsync(StateTable.StagedActions, cancellationToken);
        foreach (var batch in staged.Chunk(Math.Min(batchSize, 100)))
        {
            await release(batch.Select(action => action.Value).ToList(), cancellationToken);
            await RemoveAsync(table, job, batch, cancellationToken);
        }

        return staged.Count;
    }

    /// <summary>Dismisses every staged action of the job (an admin decided they must not happen).</summary>
    /// <returns>How many were dismissed.</returns>
    public async Task<int> ClearAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var staged = await ListAsync(job, cancellationToken).ToListAsync(cancellationToken);
        var table = await tables.GetAsync(StateTable.StagedActions, cancellationToken);
        foreach (var batch in staged.Chunk(TableWrites.MaxTransactionSize))
        {
            await RemoveAsync(table, job, batch, cancellationToken);
        }

        return staged.Count;
    }

    /// <summary>Removes these staged actions (ETag-guarded: one staged again meanwhile stays held).</summary>
    public async Task DropAsync(JobId job, IReadOnlyCollection<Versioned<StagedAction>> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var table = await tables.GetAsync(StateTable.StagedActions, cancellationToken);
        foreach (var batch in actions.Chunk(TableWrites.MaxTransactionSize))
        {
            await RemoveAsync(table, job, batch, cancellationToken);
        }
    }

    private static async Task RemoveAsync(TableClient table, JobId job, IEnumerable<Versioned<StagedAction>> batch, CancellationToken cancellationToken)
    {
        foreach (var action in batch)
        {
            // One by one rather than as a transaction: an action re-staged meanwhile fails its ETag check alone,
            // and stays held, without undoing the removal of the others.
            await TableWrites.DeleteAsync(table, JobStateStore.PartitionKey(job), RowKey(action.Value.Kind, action.Value.SourceId), action.ETag, cancellationToken);
        }
    }

    private static string RowKey(ObjectKind kind, SourceId sourceId) => TableKey.Compose(kind.ToString(), sourceId.Value);

    private static TableEntity ToEntity(StagedAction action)
    {
        var entity = new TableEntity(JobStateStore.PartitionKey(action.Job), RowKey(action.Kind, action.SourceId))
        {
            ["SourceId"] = action.SourceId.Value,
            ["Kind"] = action.Kind.ToString(),
            ["Operation"] = action.Operation.ToString(),
            ["Reason"] = action.Reason,
            ["CycleId"] = action.CycleId,
            ["StagedAt"] = action.StagedAt,
        };
        if (action.DisplayName is not null)
        {
            entity["DisplayName"] = action.DisplayName;
        }

        return entity;
    }

    private static StagedAction FromEntity(JobId job, TableEntity entity) => new(
        job,
        new SourceId(entity.GetString("SourceId") ?? string.Empty),
        Enum.Parse<ObjectKind>(entity.GetString("Kind") ?? nameof(ObjectKind.User)),
        Enum.Parse<WorkOperation>(entity.GetString("Operation") ?? nameof(WorkOperation.Deprovision)),
        entity.GetString("Reason") ?? string.Empty,
        entity.GetString("CycleId") ?? string.Empty,
        entity.GetDateTimeOffset("StagedAt") ?? DateTimeOffset.MinValue,
        entity.GetString("DisplayName"));
}
