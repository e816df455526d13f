namespace ScimSync.Core.Directory;

/// <summary>How ScimSync authenticates to Microsoft Graph.</summary>
public enum GraphCredentialKind
{
    /// <summary>The Azure resource's managed identity (system-assigned, or user-assigned with <c>managedIdentityClientId</c>).</summary>
    ManagedIdentity,

    /// <summary>An app registration's client secret (local use).</summary>
    ClientSecret,

    /// <summary>An app registration's certificate, from a PFX or PEM file (local use).</summary>
    ClientCertificate,

    /// <summary>No credential: only for a Graph emulator on the loopback interface that lets anonymous callers in.</summary>
    Anonymous,

    /// <summary>
    /// A fixed bearer token, held in the app setting named by <c>sourceClientSecretSetting</c>: only for a Graph
    /// emulator on the loopback interface, which, like Graph, wants a token on every request.
    /// </summary>
    StaticToken,
}
