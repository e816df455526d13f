using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

/// <summary>One emulator per test class; each test starts from an empty directory with no faults.</summary>
public sealed class AtlassianEmulatorFixture : IAsyncLifetime
{
    private AtlassianScimEmulator? _emulator;

    public AtlassianScimEmulator Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started.");

    /// <summary>Empties the emulator and returns a client with its key.</summary>
    public HttpClient Fresh(TimeSpan? timeout = null)
    {
        Emulator.Reset();
        return Emulator.CreateClient(timeout);
    }

    public async Task InitializeAsync() => _emulator = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
