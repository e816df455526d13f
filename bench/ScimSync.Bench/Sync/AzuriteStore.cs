namespace ScimSync.Bench.Sync;

/// <summary>
/// Where the benchmark's Azurite keeps its data. Each store has a cost of its own that grows with the run, and none is
/// the engine's: in memory, every queue message's body is an extent of its own, swept once a minute at a cost that
/// grows with the square of their number; on disk, the whole table store is written out every five seconds, at a cost
/// that grows with every row.
/// </summary>
internal enum AzuriteStore
{
    /// <summary>One Azurite, in memory.</summary>
    Memory,

    /// <summary>One Azurite, its store on disk.</summary>
    Disk,

    /// <summary>Two: the state's tables in an Azurite in memory, the work queue in one on disk.</summary>
    Split,
}

internal static class AzuriteStores
{
    public static string Describe(AzuriteStore store) => store switch
    {
        AzuriteStore.Memory => "in memory",
        AzuriteStore.Disk => "on disk",
        _ => "split (tables in memory, the queue on disk)",
    };
}
