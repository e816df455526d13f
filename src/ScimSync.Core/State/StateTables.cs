using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace ScimSync.Core.State;

/// <summary>
/// Hands out clients for ScimSync's tables, creating each table the first time it is used in this process.
/// </summary>
public sealed class StateTables
{
    private readonly TableServiceClient _service;
    private readonly ConcurrentDictionary<StateTable, Lazy<Task<TableClient>>> _tables = new();

    public StateTables(TableServiceClient service, string tablePrefix)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!StateStorageOptionsValidator.IsValidPrefix(tablePrefix))
        {
            throw new ArgumentException($"The table prefix must be 1 to 40 letters or digits starting with a letter (got '{tablePrefix}').", nameof(tablePrefix));
        }

        _service = service;
        Prefix = tablePrefix;
    }

    public string Prefix { get; }

    /// <summary>The table's full name in the account.</summary>
    public string NameOf(StateTable table) => Prefix + table;

    /// <summary>A client for the table, created in the account if it does not exist yet.</summary>
    public async Task<TableClient> GetAsync(StateTable table, CancellationToken cancellationToken = default)
    {
        var lazy = _tables.GetOrAdd(table, t => new Lazy<Task<TableClient>>(() => CreateAsync(t)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            // A failed creation must not be remembered: the next call tries again.
            _tables.TryRemove(KeyValuePair.Create(table, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(StateTable table)
    {
        var client = _service.GetTableClient(NameOf(table));
        // Not cancellable on purpose: the creation is shared by every caller waiting for it.
        await client.CreateIfNotExistsAsync(CancellationToken.None);
        return client;
    }
}
