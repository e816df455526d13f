using Microsoft.Extensions.Configuration;
using ScimSync.Core.Scim.Http;

namespace ScimSync.Core.Scim;

/// <summary>Gives the bearer token held by a named app setting (or Key Vault reference resolved into one).</summary>
public interface IScimTokenProvider
{
    /// <summary>The token in the setting named <paramref name="settingName"/>.</summary>
    /// <exception cref="ScimException">Classified Unauthorized when the setting is missing or empty.</exception>
    ValueTask<string> GetTokenAsync(string settingName, CancellationToken cancellationToken = default);
}

/// <summary>Reads tokens from configuration (app settings, environment variables, Key Vault references).</summary>
public sealed class ConfigurationScimTokenProvider(IConfiguration configuration) : IScimTokenProvider
{
    public ValueTask<string> GetTokenAsync(string settingName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(settingName);
        var token = configuration[settingName];
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ScimException(
                ScimErrorClassification.Unauthorized, "-", "-", status: null, scimType: null,
                detail: $"The app setting '{settingName}' that should hold the SCIM token is missing or empty. " +
                        "Set it (or its Key Vault reference) in the app's settings.",
                traceId: null);
        }

        return ValueTask.FromResult(token);
    }
}
