using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim.Profiles;

namespace ScimSync.Core.Scim;

/// <summary>Creates a <see cref="ScimClient"/> for a job's target over the shared <c>ScimSync.Scim</c> HTTP client.</summary>
public sealed class ScimClientFactory(
    IHttpClientFactory httpClients,
    ScimProfileRegistry profiles,
    IOptions<ScimClientOptions> options,
    IOptions<ScaleOptions> scale,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <summary>
    /// A client for <paramref name="job"/>'s target. Pass capabilities from an earlier <see cref="ScimClient.DiscoverAsync"/>
    /// to skip rediscovery; otherwise an RFC 7644 target is assumed until the client discovers.
    /// </summary>
    /// <exception cref="ArgumentException">The target configuration is invalid; the message names each setting.</exception>
    public ScimClient Create(JobId job, ScimTargetOptions target, ScimServiceProviderCapabilities? capabilities = null, string settingPath = "target")
    {
        ArgumentNullException.ThrowIfNull(target);
        var errors = target.Validate(settingPath, profiles);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The SCIM target of job '{job}' is not valid:\n{string.Join("\n", errors)}", nameof(target));
        }

        var http = httpClients.CreateClient(ScimClient.HttpClientName);
        var baseUrl = target.BaseUrl!.AbsoluteUri;
        http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
        // Timeouts belong to the resilience pipeline (attempt and total); HttpClient's own would cut across it.
        http.Timeout = Timeout.InfiniteTimeSpan;
        return new ScimClient(
            http, job, target, profiles.Get(target.Profile), scale.Value.ShareOf(target.RequestsPerSecond ?? options.Value.DefaultRequestsPerSecond),
            time, loggers.CreateLogger<ScimClient>(), capabilities);
    }
}
