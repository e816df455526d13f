using ScimSync.Core.Scim.Profiles;
using ScimSync.Emulators.Atlassian;

namespace ScimSync.IntegrationTests.Scim;

/// <summary>The Atlassian Cloud emulator, started once per test class, as a SCIM target with the atlassian-cloud profile.</summary>
public sealed class AtlassianEmulatorTarget : IScimContractTarget, IAsyncLifetime
{
    private AtlassianScimEmulator? _emulator;

    public AtlassianScimEmulator Emulator => _emulator ?? throw new InvalidOperationException("The Atlassian emulator has not started.");

    public Uri BaseUrl => new(Emulator.BaseUrl);

    public string Token => Emulator.ApiKey;

    public string Profile => ScimTargetProfiles.AtlassianCloud.Name;

    public async Task InitializeAsync() => _emulator = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
