using ScimSync.Core.Scim.Profiles;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Scim;

/// <summary>The client contract against scimmy, a third-party SCIM 2.0 implementation, with the generic profile.</summary>
public sealed class ScimmyClientContractTests(ScimmyClientContractTests.Target target)
    : ScimClientContractTests(target), IClassFixture<ScimmyClientContractTests.Target>
{
    public sealed class Target : IScimContractTarget, IAsyncLifetime
    {
        private readonly ScimmyServerFixture _server = new();

        public Uri BaseUrl => _server.BaseUrl;

        public string Token => _server.Token;

        public string Profile => ScimTargetProfiles.GenericScim.Name;

        // scimmy re-validates the whole group on every PATCH: with a thousand members one batch can take tens of
        // seconds on a busy two-core machine. The server is slow, not broken, so the client waits longer for it.
        public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(90);

        public Task InitializeAsync() => _server.InitializeAsync();

        public Task DisposeAsync() => _server.DisposeAsync();
    }
}
