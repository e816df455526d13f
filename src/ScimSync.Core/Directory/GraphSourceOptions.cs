namespace ScimSync.Core.Directory;

/// <summary>
/// How to reach one Entra ID tenant through Microsoft Graph. Secrets are not written in the job file: bind
/// <see cref="ClientSecret"/> from an app setting or a Key Vault reference.
/// </summary>
public sealed class GraphSourceOptions
{
    /// <summary>The Graph endpoint with its version: global <c>https://graph.microsoft.com/v1.0</c>, a national cloud
    /// (<c>https://graph.microsoft.us/v1.0</c>, <c>https://microsoftgraph.chinacloudapi.cn/v1.0</c>), or an emulator on loopback.</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    public GraphCredentialKind Credential { get; set; } = GraphCredentialKind.ManagedIdentity;

    /// <summary>The directory (tenant) id; needed for client secret and certificate credentials.</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration's client id; needed for client secret and certificate credentials.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Path of a PFX or PEM file holding the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned identity.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The Entra sign-in authority for national clouds, e.g. <c>https://login.microsoftonline.us</c>; empty for the global cloud.</summary>
    public string? AuthorityHost { get; set; }

    /// <summary>How often the Graph SDK retries a throttled (429) or unavailable (503, 504) request; 0 to 10 (SDK default 3).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Seconds the SDK waits before a retry when Graph sends no Retry-After; 1 to 180 (SDK default 3).</summary>
    public int RetryDelaySeconds { get; set; } = 3;

    /// <summary>
    /// The most the client reads of one Graph response, in MB; 1 to 1024 (default 32). A delta page holds a few hundred
    /// objects and stays far below it; a larger answer fails the cycle before anything of it is applied.
    /// </summary>
    public int MaxResponseMegabytes { get; set; } = 32;

    /// <summary>Every problem in the options, each naming its setting under <paramref name="path"/> (e.g. <c>jobs[0].source</c>).</summary>
    public IReadOnlyList<string> Validate(string path)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("https" or "http"))
        {
            errors.Add($"{path}.baseUrl: \"{BaseUrl}\" is not an absolute http(s) URL such as https://graph.microsoft.com/v1.0");
        }
        else if (baseUri.UserInfo.Length > 0)
        {
            errors.Add($"{path}.baseUrl: must not carry a user name or password (user:pass@host); Graph credentials belong in the job's credential settings.");
        }
        else if (baseUri.Scheme == "http" && !baseUri.IsLoopback)
        {
            errors.Add($"{path}.baseUrl: plain http is only allowed for a Graph emulator on loopback; use https");
        }
        else if (Credential is GraphCredentialKind.Anonymous or GraphCredentialKind.StaticToken && !baseUri.IsLoopback)
        {
            errors.Add($"{path}.credential: {Credential} is only allowed for a Graph emulator on loopback; use ManagedIdentity, ClientSecret or ClientCertificate");
        }
        if (!Enum.IsDefined(Credential))
        {
            errors.Add($"{path}.credential: use ManagedIdentity, ClientSecret, ClientCertificate, Anonymous or StaticToken");
        }
        if (Credential == GraphCredentialKind.StaticToken && string.IsNullOrEmpty(ClientSecret))
        {
            errors.Add($"{path}.clientSecret: StaticToken needs the emulator's token; put it in an app setting and name that setting in sourceClientSecretSetting");
        }
        if (Credential is GraphCredentialKind.ClientSecret or GraphCredentialKind.ClientCertificate)
        {
            if (!Guid.TryParse(TenantId, out _))
            {
                errors.Add($"{path}.tenantId: {Credential} needs the directory (tenant) id, a GUID");
            }
            if (!Guid.TryParse(ClientId, out _))
            {
                errors.Add($"{path}.clientId: {Credential} needs the app registration's client id, a GUID");
            }
        }
        if (Credential == GraphCredentialKind.ClientSecret && string.IsNullOrEmpty(ClientSecret))
        {
            errors.Add($"{path}.clientSecret: ClientSecret needs the secret; set it from an app setting or Key Vault reference, not in the job file");
        }
        if (Credential == GraphCredentialKind.ClientCertificate && string.IsNullOrEmpty(CertificatePath))
        {
            errors.Add($"{path}.certificatePath: ClientCertificate needs the path of a PFX or PEM file with the private key");
        }
        if (!string.IsNullOrEmpty(ManagedIdentityClientId) && !Guid.TryParse(ManagedIdentityClientId, out _))
        {
            errors.Add($"{path}.managedIdentityClientId: \"{ManagedIdentityClientId}\" is not a client id (a GUID)");
        }
        if (!string.IsNullOrEmpty(AuthorityHost) && (!Uri.TryCreate(AuthorityHost, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps))
        {
            // The client secret or certificate assertion goes there: Azure.Identity refuses anything but https too, only later.
            errors.Add($"{path}.authorityHost: \"{AuthorityHost}\" is not an https URL such as https://login.microsoftonline.us");
        }
        if (MaxRetries is < 0 or > 10)
        {
            errors.Add($"{path}.maxRetries: use 0 to 10 (the Graph SDK's limit)");
        }
        if (RetryDelaySeconds is < 1 or > 180)
        {
            errors.Add($"{path}.retryDelaySeconds: use 1 to 180");
        }
        if (MaxResponseMegabytes is < 1 or > 1024)
        {
            errors.Add($"{path}.maxResponseMegabytes: use 1 to 1024");
        }
        return errors;
    }
}
