using System.Net;
using ScimSync.Core.Scim.Profiles;

namespace ScimSync.Core.Scim;

/// <summary>
/// The SCIM part of a job's target configuration (<c>jobs[n].target</c> in the job file). The token itself never
/// sits here: <see cref="TokenSetting"/> names the app setting (or Key Vault reference) that holds it.
/// </summary>
public sealed class ScimTargetOptions
{
    /// <summary>The SCIM base URL, e.g. <c>https://api.atlassian.com/scim/directory/{directoryId}</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The target profile's name: <c>atlassian-cloud</c> (default) or <c>generic-scim</c>.</summary>
    public string Profile { get; set; } = ScimTargetProfiles.AtlassianCloud.Name;

    /// <summary>The name of the app setting that holds the bearer token.</summary>
    public string? TokenSetting { get; set; }

    /// <summary>The organization's verified domains; users outside them are skipped unless <see cref="AllowExternalUsers"/>.</summary>
    public IList<string> VerifiedDomains { get; set; } = [];

    /// <summary>Provision users outside the verified domains (Atlassian allows it since November 2020).</summary>
    public bool AllowExternalUsers { get; set; }

    /// <summary>Requests per second this job may send; null takes <see cref="ScimClientOptions.DefaultRequestsPerSecond"/>.</summary>
    public double? RequestsPerSecond { get; set; }

    /// <summary>Allow a plain-http base URL on a loopback address (a local test target). Never for real targets.</summary>
    public bool AllowInsecureLoopback { get; set; }

    /// <summary>
    /// Read each created object back by id before recording it as applied, for a target that may acknowledge a create
    /// (201) and not keep the object. One more request per create; without it the next drift scan finds such objects.
    /// </summary>
    public bool ReadBackCreates { get; set; }

    /// <summary>
    /// Read every Nth update (a user or group PATCH or PUT, a membership PATCH) back by id and check it like an answer
    /// with the resource: a value or member the target did not keep is not recorded as applied. 0 (default) reads back
    /// only group PATCHes answered 204.
    /// </summary>
    public int ReadBackEvery { get; set; }

    /// <summary>
    /// The problems with this configuration, each naming the full setting path under <paramref name="settingPath"/>
    /// (e.g. <c>jobs[0].target</c>); empty when it is valid.
    /// </summary>
    public IReadOnlyList<string> Validate(string settingPath, ScimProfileRegistry profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var errors = new List<string>();
        ValidateBaseUrl(settingPath, errors);
        if (string.IsNullOrWhiteSpace(TokenSetting))
        {
            errors.Add($"{settingPath}.tokenSetting: name the app setting that holds the SCIM bearer token (the token itself never goes in the job file).");
        }

        if (requestsPerSecondInvalid(RequestsPerSecond))
        {
            errors.Add($"{settingPath}.requestsPerSecond: must be greater than 0 and at most 1000 (got {RequestsPerSecond}).");
        }

        if (ReadBackEvery is < 0 or > 1000)
        {
            errors.Add($"{settingPath}.readBackEvery: use 0 (off) to 1000, the share of updates read back as one in N (got {ReadBackEvery}).");
        }

        if (!profiles.TryGet(Profile ?? string.Empty, out var profile))
        {
            errors.Add($"{settingPath}.profile: unknown profile '{Profile}'. Known profiles: {string.Join(", ", profiles.Names)}.");
        }
        else if (profile.RestrictsUsersToVerifiedDomains && !AllowExternalUsers && VerifiedDomains.All(string.IsNullOrWhiteSpace))
        {
            errors.Add(
                $"{settingPath}.verifiedDomains: the {profile.Name} profile provisions only users on the organization's verified domains; " +
                "list them (e.g. [\"example.com\"]) or set allowExternalUsers to true.");
        }

        return errors;

        static bool requestsPerSecondInvalid(double? value) => value is { } v && (double.IsNaN(v) || v <= 0 || v > 1000);
    }

    private void ValidateBaseUrl(string settingPath, List<string> errors)
    {
        if (BaseUrl is null)
        {
            errors.Add($"{settingPath}.baseUrl: required, the target's SCIM base URL (https).");
            return;
        }

        if (!BaseUrl.IsAbsoluteUri)
        {
            errors.Add($"{settingPath}.baseUrl: '{BaseUrl}' is not an absolute URL; give the full https URL of the SCIM endpoint.");
            return;
        }

        if (BaseUrl.UserInfo.Length > 0)
        {
            // Not echoed: the URL carries a credential.
            errors.Add($"{settingPath}.baseUrl: must not carry a user name or password (user:pass@host). Remove it from the URL; the target's credential belongs in the app setting named by tokenSetting.");
            return;
        }

        if (BaseUrl.Scheme == Uri.UriSchemeHttps)
        {
            return;
        }

        if (BaseUrl.Scheme == Uri.UriSchemeHttp && AllowInsecureLoopback && IsLoopback(BaseUrl))
        {
            return;
        }

        errors.Add(BaseUrl.Scheme == Uri.UriSchemeHttp && AllowInsecureLoopback
            ? $"{settingPath}.baseUrl: '{BaseUrl}' uses http on a host that is not loopback; allowInsecureLoopback only permits http://127.0.0.1, http://[::1] or http://localhost."
            : $"{settingPath}.baseUrl: '{BaseUrl}' must use https (the bearer token would travel in clear text). " +
              "For a local test target on a loopback address, set allowInsecureLoopback to true.");
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
