using System.Net;
using Microsoft.Extensions.Options;

namespace ScimSync.Admin.Security;

/// <summary>Checks <see cref="AdminServerOptions"/> at start-up; errors name the full setting path.</summary>
public sealed class AdminServerOptionsValidator : IValidateOptions<AdminServerOptions>
{
    /// <summary>Shorter keys can be guessed; 32 random characters is what the docs suggest.</summary>
    public const int MinimumKeyLength = 16;

    private const string Section = AdminServerOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AdminServerOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        var url = options.Url!;
        if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"{Section}:Url must be an absolute http URL on a loopback address, such as http://127.0.0.1:7280 (got '{url}'); put a reverse proxy with TLS in front to reach it from elsewhere.");
        }
        else if (!IsLoopback(url))
        {
            errors.Add($"{Section}:Url must be a loopback address (127.0.0.1, [::1] or localhost): the admin API changes jobs and is not meant to face a network (got '{url}'). Put a reverse proxy with TLS in front to reach it from elsewhere.");
        }
        else if (url.AbsolutePath != "/")
        {
            errors.Add($"{Section}:Url must be the server's root, without a path (got '{url}'); the API is served under {AdminRoutes.RunPrefix}/admin.");
        }

        if (string.IsNullOrWhiteSpace(options.Key))
        {
            errors.Add($"{Section}:Key must be set when the admin API is served ({Section}:Url or --admin-url): every request must carry it. Use a random value of at least 32 characters, e.g. from 'openssl rand -base64 32'.");
        }
        else if (options.Key.Trim().Length < MinimumKeyLength)
        {
            errors.Add($"{Section}:Key must be at least {MinimumKeyLength} characters long (got {options.Key.Trim().Length}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
