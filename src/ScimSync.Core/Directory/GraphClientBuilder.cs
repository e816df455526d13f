using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace ScimSync.Core.Directory;

/// <summary>Builds the one <see cref="GraphServiceClient"/> a directory source uses, from validated options.</summary>
public static class GraphClientBuilder
{
    /// <summary>
    /// Creates the client with the SDK's default middleware (its retry handler honours Retry-After on 429/503/504;
    /// ScimSync adds no retry layer of its own), tuned by <see cref="GraphSourceOptions.MaxRetries"/>, and with every
    /// response bounded by <see cref="GraphSourceOptions.MaxResponseMegabytes"/>.
    /// </summary>
    /// <param name="finalHandler">The innermost handler, for tests; null uses the platform's.</param>
    /// <param name="defaultManagedIdentityClientId">The user-assigned identity a managed-identity source that names none signs in as.</param>
    public static GraphServiceClient Build(GraphSourceOptions options, HttpMessageHandler? finalHandler = null, string? defaultManagedIdentityClientId = null)
    {
        var errors = options.Validate("source");
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }
        var baseUri = new Uri(options.BaseUrl.TrimEnd('/'));
        var handlers = GraphClientFactory.CreateDefaultHandlers().ToList();
        var retryIndex = handlers.FindIndex(h => h is RetryHandler);
        var retry = new RetryHandler(new RetryHandlerOption { MaxRetry = options.MaxRetries, Delay = options.RetryDelaySeconds });
        if (retryIndex >= 0)
        {
            handlers[retryIndex] = retry;
        }
        else
        {
            handlers.Add(retry);
        }
        // Outermost, so it bounds the bytes the SDK and the delta parser read, after decompression.
        handlers.Insert(0, new GraphResponseLimitHandler(options.MaxResponseMegabytes * 1024L * 1024L));
        var httpClient = GraphClientFactory.Create(handlers, finalHandler: finalHandler);
        return new GraphServiceClient(httpClient, AuthenticationFor(options, baseUri, defaultManagedIdentityClientId), baseUri.ToString().TrimEnd('/'));
    }

    private static IAuthenticationProvider AuthenticationFor(GraphSourceOptions options, Uri baseUri, string? defaultManagedIdentityClientId)
    {
        if (options.Credential == GraphCredentialKind.Anonymous)
        {
            return new AnonymousAuthenticationProvider();
        }
        if (options.Credential == GraphCredentialKind.StaticToken)
        {
            return new BaseBearerTokenAuthenticationProvider(new StaticAccessTokenProvider(options.ClientSecret!, baseUri.Host));
        }
        // The token's audience is the Graph host in use, so national clouds get tokens for their own endpoint.
        var scope = $"{baseUri.Scheme}://{baseUri.Authority}/.default";
        return new AzureIdentityAuthenticationProvider(CredentialFor(options, defaultManagedIdentityClientId), [baseUri.Host], observabilityOptions: null, isCaeEnabled: true, scopes: [scope]);
    }

    private static TokenCredential CredentialFor(GraphSourceOptions options, string? defaultManagedIdentityClientId)
    {
        var managedIdentityClientId = string.IsNullOrEmpty(options.ManagedIdentityClientId) ? defaultManagedIdentityClientId : options.ManagedIdentityClientId;
        var authority = string.IsNullOrEmpty(options.AuthorityHost) ? AzureAuthorityHosts.AzurePublicCloud : new Uri(options.AuthorityHost);
        return options.Credential switch
        {
            GraphCredentialKind.ClientSecret => new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret,
                new ClientSecretCredentialOptions { AuthorityHost = authority }),
            GraphCredentialKind.ClientCertificate => new ClientCertificateCredential(options.TenantId, options.ClientId, options.CertificatePath,
                new ClientCertificateCredentialOptions { AuthorityHost = authority }),
            _ => new ManagedIdentityCredential(string.IsNullOrEmpty(managedIdentityClientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId)),
        };
    }
}
