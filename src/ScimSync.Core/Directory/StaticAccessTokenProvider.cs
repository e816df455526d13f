using Microsoft.Kiota.Abstractions.Authentication;

namespace ScimSync.Core.Directory;

/// <summary>Hands the Graph SDK one fixed token, for the configured host only (credential <c>StaticToken</c>).</summary>
internal sealed class StaticAccessTokenProvider(string token, string host) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? token : string.Empty);
}
