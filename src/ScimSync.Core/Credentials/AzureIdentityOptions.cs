using Microsoft.Extensions.Options;

namespace ScimSync.Core.Credentials;

/// <summary>Which Entra identity ScimSync uses for Azure services (section <c>ScimSync:Identity</c>).</summary>
public sealed class AzureIdentityOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Identity";

    /// <summary>
    /// Client id of the user-assigned managed identity used for Table Storage, the Storage queue, Service Bus and
    /// the Graph source of every job that names no identity of its own. Empty: <c>DefaultAzureCredential</c>, which
    /// finds the system-assigned identity in Azure and a developer's sign-in locally.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }
}

internal sealed class AzureIdentityOptionsValidator(string sectionPath) : IValidateOptions<AzureIdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureIdentityOptions options) =>
        string.IsNullOrEmpty(options.ManagedIdentityClientId) || Guid.TryParse(options.ManagedIdentityClientId, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{sectionPath}:ManagedIdentityClientId must be the client id (a GUID) of a user-assigned managed identity, or empty (got '{options.ManagedIdentityClientId}').");
}
