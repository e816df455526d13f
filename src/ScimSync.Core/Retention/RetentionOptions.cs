using Microsoft.Extensions.Options;

namespace ScimSync.Core.Retention;

/// <summary>
/// How long cycle progress rows and poison message records are kept, and how often an in-process host cleans up
/// (section <c>ScimSync:Retention</c>). Provisioning logs have their own setting, <c>ScimSync:Logs:RetentionDays</c>.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Retention";

    /// <summary>Days a cycle's progress rows are kept (a job's latest cycle is always kept: the status page shows it).</summary>
    public int ProgressDays { get; set; } = 30;

    /// <summary>Days a poison message record is kept for an admin to inspect.</summary>
    public int PoisonDays { get; set; } = 30;

    /// <summary>How often <c>scimsync run</c> runs the cleanup (the Functions app has its own timer).</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class RetentionOptionsValidator(string sectionPath) : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var errors = new List<string>();
        if (options.ProgressDays is < 1 or > 3650)
        {
            errors.Add($"{sectionPath}:ProgressDays: use 1 to 3650 days, e.g. 30 (got {options.ProgressDays}).");
        }

        if (options.PoisonDays is < 1 or > 3650)
        {
            errors.Add($"{sectionPath}:PoisonDays: use 1 to 3650 days, e.g. 30 (got {options.PoisonDays}).");
        }

        if (options.Every < TimeSpan.FromMinutes(1) || options.Every > TimeSpan.FromDays(1))
        {
            errors.Add($"{sectionPath}:Every: use 00:01:00 to 1.00:00:00 (got {options.Every}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
