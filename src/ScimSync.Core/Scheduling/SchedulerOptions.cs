using Microsoft.Extensions.Options;

namespace ScimSync.Core.Scheduling;

/// <summary>How often an in-process host (<c>scimsync run</c>) ticks (section <c>ScimSync:Scheduler</c>).</summary>
public sealed class SchedulerOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Scheduler";

    /// <summary>
    /// Time between ticks; each tick runs the cycles that are due. A job's interval shorter than the tick is
    /// effectively the tick. The Functions app ticks on its own timer schedule instead.
    /// </summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed class SchedulerOptionsValidator(string sectionPath) : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options) =>
        options.Tick >= TimeSpan.FromSeconds(1) && options.Tick <= TimeSpan.FromHours(1)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{sectionPath}:Tick: use 00:00:01 to 01:00:00, e.g. 00:01:00 (got {options.Tick}).");
}
