using ScimSync.Emulators.Azurite;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// The reliability suite's own Azurite, with its store on disk so a test can kill and restart it and find its tables
/// and queues again. Kept apart from the shared Azurite so a restart disturbs no other test.
/// </summary>
public sealed class ReliabilityFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync(persistent: true);

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<ReliabilityFixture>
{
    public const string Name = "Reliability";
}
