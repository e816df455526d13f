using Microsoft.Extensions.Options;

namespace ScimSync.Core.State.Jobs;

/// <summary>When failures dominate enough to quarantine a job; the defaults are Entra's documented thresholds.</summary>
public sealed class QuarantinePolicyOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Quarantine";

    /// <summary>Below this many failures (reference failures excluded) the share rule does not apply.</summary>
    public long MinimumFailures { get; set; } = 5_000;

    /// <summary>Quarantine when more than this share of items failed (reference failures excluded).</summary>
    public double FailureShare { get; set; } = 0.4;

    /// <summary>Quarantine when more than this many items failed (reference failures excluded).</summary>
    public long MaxFailures { get; set; } = 40_000;

    /// <summary>Quarantine when more than this many items failed, reference failures included.</summary>
    public long MaxFailuresIncludingReferences { get; set; } = 60_000;

    /// <summary>A job quarantined this long without a successful cycle is paused for an admin.</summary>
    public TimeSpan PauseAfter { get; set; } = TimeSpan.FromDays(28);
}

internal sealed class QuarantinePolicyOptionsValidator(string sectionPath) : IValidateOptions<QuarantinePolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, QuarantinePolicyOptions options)
    {
        var errors = new List<string>();
        if (options.MinimumFailures < 1)
        {
            errors.Add($"{sectionPath}:MinimumFailures must be at least 1 (got {options.MinimumFailures}).");
        }

        if (options.FailureShare is <= 0 or > 1)
        {
            errors.Add($"{sectionPath}:FailureShare must be a fraction above 0 and at most 1, e.g. 0.4 (got {options.FailureShare}).");
        }

        if (options.MaxFailures < options.MinimumFailures)
        {
            errors.Add($"{sectionPath}:MaxFailures ({options.MaxFailures}) must be at least {sectionPath}:MinimumFailures ({options.MinimumFailures}).");
        }

        if (options.MaxFailuresIncludingReferences < options.MaxFailures)
        {
            errors.Add($"{sectionPath}:MaxFailuresIncludingReferences ({options.MaxFailuresIncludingReferences}) must be at least {sectionPath}:MaxFailures ({options.MaxFailures}).");
        }

        if (options.PauseAfter <= TimeSpan.Zero)
        {
            errors.Add($"{sectionPath}:PauseAfter must be positive, e.g. 28.00:00:00 (got {options.PauseAfter}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
