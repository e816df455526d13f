using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ScimSync.Core.Identity;
using ScimSync.Core.State;

namespace ScimSync.Core.Logging;

/// <summary>
/// The ProvisioningLogs table. Partition = job + UTC day (<c>yyyyMMdd</c>), so purging the entries past retention
/// drops whole days, and a time-range query touches only the days it covers. Row key = inverted activity ticks +
/// entry id, so within a day the newest entries come first and an entry written twice is stored once. Entries that
/// concurrent workers write at about the same time share one transaction (<see cref="PartitionWriteBatcher"/>).
/// </summary>
public sealed class ProvisioningLogStore(StateTables tables, IOptions<ProvisioningLogOptions> options, TimeProvider timeProvider)
{
    private const string DayFormat = "yyyyMMdd";

    private readonly PartitionWriteBatcher _batcher = new();

    private readonly ProvisioningLogOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    /// <summary>Writes one entry. Returns false when an entry with the same id and time was already written.</summary>
    public async Task<bool> WriteAsync(ProvisioningLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Id);
        var entity = new TableEntity(PartitionKey(entry.Job, entry.ActivityDateTime), RowKey(entry.ActivityDateTime, entry.Id))
        {
            ["ActivityDateTime"] = entry.ActivityDateTime,
            ["Action"] = entry.Action.ToString(),
            ["Status"] = entry.Status.ToString(),
            ["SourceId"] = entry.SourceIdentity.Id,
            ["TargetId"] = entry.TargetIdentity?.Id ?? string.Empty,
            ["CycleId"] = entry.CycleId,
            ["ChangeId"] = entry.ChangeId,
        };
        var json = JsonSerializer.Serialize(entry, ProvisioningLogJsonContext.Default.ProvisioningLogEntry);
        LargeStringProperty.Write(entity, "Entry", json, $"The provisioning log entry for '{entry.SourceIdentity.Id}'");

        var table = await tables.GetAsync(StateTable.ProvisioningLogs, cancellationToken);
        try
        {
            await _batcher.AddAsync(table, entity, approximateBytes: 2048 + (2L * json.Length), cancellationToken);
            return true;
        }
        catch (Azure.RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// One page of entries matching <paramref name="query"/>, newest first. Pass the returned continuation token to
    /// read the next page. A page may hold fewer than <paramref name="pageSize"/> entries before the end.
    /// </summary>
    public async Task<ProvisioningLogPage> QueryAsync(
        ProvisioningLogQuery query, string? continuationToken = null, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);
        var now = timeProvider.GetUtcNow();
        var to = (query.To ?? now).ToUniversalTime();
        var from = (query.From ?? now - _options.Retention).ToUniversalTime();
        if (from > to)
        {
            throw new ArgumentException($"The query's From ({from:O}) is after its To ({to:O}).", nameof(query));
        }

        var (day, serviceToken) = continuationToken is null ? (to.UtcDateTime.Date, null) : ParseToken(continuationToken);
        var table = await tables.GetAsync(StateTable.ProvisioningLogs, cancellationToken);
        var entries = new List<ProvisioningLogEntry>(pageSize);
        for (; day >= from.UtcDateTime.Date; day = day.AddDays(-1), serviceToken = null)
        {
            var filter = Filter(query, day, from, to);
            await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize - entries.Count, cancellationToken: cancellationToken)
                               .AsPages(serviceToken, pageSize - entries.Count))
            {
                entries.AddRange(page.Values.Select(Read));
                if (page.ContinuationToken is not null)
                {
                    return new ProvisioningLogPage(entries, Token(day, page.ContinuationToken));
                }

                break;
            }

            if (entries.Count >= pageSize)
            {
                var next = day.AddDays(-1);
                return new ProvisioningLogPage(entries, next >= from.UtcDateTime.Date ? Token(next, null) : null);
            }
        }

        return new ProvisioningLogPage(entries, null);
    }

    /// <summary>
    /// Deletes the job's entries from days that ended before the retention period began. Whole days go at once, so
    /// an entry is kept for at least the retention period and at most one day longer.
    /// </summary>
    /// <returns>How many entries were deleted.</returns>
    public async Task<int> PurgeAsync(JobId job, CancellationToken cancellationToken = default)
    {
        var cutoffDay = (timeProvider.GetUtcNow() - _options.Retention).UtcDateTime.Date;
        var prefix = TableKey.EscapePart(job.Value) + TableKey.Separator;
        var upper = prefix + cutoffDay.ToString(DayFormat, CultureInfo.InvariantCulture);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {upper}");
        var table = await tables.GetAsync(StateTable.ProvisioningLogs, cancellationToken);
        var deleted = 0;
        var batch = new List<TableTransactionAction>(100);
        string? partition = null;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (batch.Count == 100 || (partition is not null && partition != row.PartitionKey))
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                deleted += batch.Count;
                batch.Clear();
            }

            partition = row.PartitionKey;
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row));
        }

        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
            deleted += batch.Count;
        }

        return deleted;
    }

    internal static string PartitionKey(JobId job, DateTimeOffset activity) =>
        TableKey.Compose(job.Value, activity.UtcDateTime.ToString(DayFormat, CultureInfo.InvariantCulture));

    private static string PartitionKey(JobId job, DateTime day) =>
        TableKey.Compose(job.Value, day.ToString(DayFormat, CultureInfo.InvariantCulture));

    private static string RowKey(DateTimeOffset activity, string id) => InvertedTicks(activity) + "_" + TableKey.EscapePart(id);

    private static string InvertedTicks(DateTimeOffset time) =>
        (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static string Filter(ProvisioningLogQuery query, DateTime day, DateTimeOffset from, DateTimeOffset to)
    {
        // Newer entries have smaller inverted ticks: the range [from, to] is row keys from inv(to) up to inv(from)'s end.
        var lowest = InvertedTicks(to);
        var beyondHighest = (DateTimeOffset.MaxValue.UtcTicks - from.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);
        var clauses = new List<string>
        {
            TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(query.Job, day)}"),
            TableClient.CreateQueryFilter($"RowKey ge {lowest} and RowKey lt {beyondHighest}"),
        };
        if (query.Status is { } status)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"));
        }

        if (query.Action is { } action)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Action eq {action.ToString()}"));
        }

        if (query.SourceId is { } sourceId)
        {
            clauses.Add(TableClient.CreateQueryFilter($"SourceId eq {sourceId}"));
        }

        if (query.TargetId is { } targetId)
        {
            clauses.Add(TableClient.CreateQueryFilter($"TargetId eq {targetId}"));
        }

        if (query.CycleId is { } cycleId)
        {
            clauses.Add(TableClient.CreateQueryFilter($"CycleId eq {cycleId}"));
        }

        return string.Join(" and ", clauses.Select(clause => "(" + clause + ")"));
    }

    private static ProvisioningLogEntry Read(TableEntity entity) =>
        JsonSerializer.Deserialize(LargeStringProperty.Read(entity, "Entry") ?? "null", ProvisioningLogJsonContext.Default.ProvisioningLogEntry)
        ?? throw new InvalidOperationException($"The provisioning log row {entity.PartitionKey}/{entity.RowKey} has no entry.");

    private static string Token(DateTime day, string? serviceToken) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(day.ToString(DayFormat, CultureInfo.InvariantCulture) + "\n" + serviceToken));

    private static (DateTime Day, string? ServiceToken) ParseToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            var day = DateTime.ParseExact(text[..newline], DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            var service = text[(newline + 1)..];
            return (day, service.Length == 0 ? null : service);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentOutOfRangeException)
        {
            throw new ArgumentException("The continuation token is not one this store returned; start the query again without it.", nameof(token), exception);
        }
    }
}
