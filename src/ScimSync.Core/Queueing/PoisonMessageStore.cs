using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using ScimSync.Core.State;

namespace ScimSync.Core.Queueing;

/// <summary>
/// The PoisonMessages table: partition = queue name, row = inverted time + message id (newest first). Recording a
/// poison message before removing it from the queue means it is never lost silently.
/// </summary>
public sealed class PoisonMessageStore(StateTables tables, TimeProvider timeProvider)
{
    /// <summary>Bodies longer than this are cut; a Storage queue message can be 64 K characters, a string property 32 K.</summary>
    public const int MaxBodyCharacters = 30_000;

    /// <summary>Records a poison message. Recording the same delivery twice keeps both rows.</summary>
    public async Task<PoisonMessage> RecordAsync(
        string queueName, string messageId, long dequeueCount, string reason, string body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        ArgumentNullException.ThrowIfNull(body);
        var now = timeProvider.GetUtcNow();
        var kept = body.Length <= MaxBodyCharacters ? body : body[..MaxBodyCharacters];
        var message = new PoisonMessage(queueName, messageId, dequeueCount, reason, kept, now);
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        var entity = new TableEntity(TableKey.Compose(queueName), inverted + "_" + TableKey.EscapePart(messageId) + "_" + Guid.NewGuid().ToString("N"))
        {
            ["MessageId"] = messageId,
            ["DequeueCount"] = dequeueCount,
            ["Reason"] = reason,
            ["Body"] = kept,
            ["BodyTruncated"] = kept.Length != body.Length,
            ["RecordedAt"] = now,
        };
        var table = await tables.GetAsync(StateTable.PoisonMessages, cancellationToken);
        await table.AddEntityAsync(entity, cancellationToken);
        return message;
    }

    /// <summary>Deletes the records of every queue recorded before <paramref name="cutoff"/>.</summary>
    /// <returns>How many were deleted.</returns>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.PoisonMessages, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"RecordedAt lt {cutoff.UtcDateTime}");
        var old = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            old.Add(row);
        }

        foreach (var partition in old.GroupBy(row => row.PartitionKey, StringComparer.Ordinal))
        {
            await TableWrites.SubmitInBatchesAsync(
                table, partition.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, Azure.ETag.All)), cancellationToken);
        }

        return old.Count;
    }

    /// <summary>The queue's poison messages, newest first.</summary>
    public async IAsyncEnumerable<PoisonMessage> ListAsync(string queueName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StateTable.PoisonMessages, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Compose(queueName)}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return new PoisonMessage(
                queueName,
                entity.GetString("MessageId") ?? string.Empty,
                entity.GetInt64("DequeueCount") ?? 0,
                entity.GetString("Reason") ?? string.Empty,
                entity.GetString("Body") ?? string.Empty,
                entity.GetDateTimeOffset("RecordedAt") ?? DateTimeOffset.MinValue);
        }
    }
}
