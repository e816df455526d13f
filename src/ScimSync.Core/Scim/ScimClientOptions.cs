using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ScimSync.Core.Scim;

/// <summary>How the SCIM client retries, times out and paces requests (configuration section <c>Scim</c>).</summary>
public sealed class ScimClientOptions
{
    public const string SectionName = "ScimSync:Scim";

    /// <summary>How long one attempt may wait for an answer before it is abandoned as a Transient timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a call may take across all its attempts and waits.</summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Retries after the first attempt (for 429, 5xx, timeouts and dropped connections).</summary>
    [Range(0, 20)]
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The first exponential backoff delay when the target gives no Retry-After or X-RateLimit-Reset.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest wait honoured in-process, for backoff or a Retry-After/X-RateLimit-Reset answer. A target asking
    /// for longer gets no retry: the call fails Transient with <see cref="ScimException.RetryAfter"/> set, so the
    /// engine can put the work item back with that delay instead of holding a worker.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether backoff delays get random jitter (off only in tests that want predictable waits).</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>Requests per second per job when the job's target sets no <c>requestsPerSecond</c> (see docs/configuration.md).</summary>
    [Range(0.1, 1000)]
    public double DefaultRequestsPerSecond { get; set; } = 10;
}

/// <summary>Checks <see cref="ScimClientOptions"/> at start-up, naming the full setting path of each problem.</summary>
internal sealed class ScimClientOptionsValidator : IValidateOptions<ScimClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ScimClientOptions options)
    {
        const string s = ScimClientOptions.SectionName;
        var errors = new List<string>();
        var context = new ValidationContext(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, context, results, validateAllProperties: true))
        {
            errors.AddRange(results.Select(r => $"{s}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(10) || options.AttemptTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{s}:AttemptTimeout must be between 00:00:00.010 and 01:00:00 (got {options.AttemptTimeout}).");
        }

        if (options.TotalRequestTimeout <= options.AttemptTimeout)
        {
            errors.Add($"{s}:TotalRequestTimeout ({options.TotalRequestTimeout}) must be longer than {s}:AttemptTimeout ({options.AttemptTimeout}).");
        }

        if (options.BaseRetryDelay <= TimeSpan.Zero || options.BaseRetryDelay > options.MaxRetryDelay)
        {
            errors.Add($"{s}:BaseRetryDelay must be positive and at most {s}:MaxRetryDelay (got {options.BaseRetryDelay} and {options.MaxRetryDelay}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
