using Microsoft.Extensions.Options;

namespace ScimSync.Core.Worker;

/// <summary>Settings of the in-process queue worker (section <c>ScimSync:Worker</c>).</summary>
public sealed class QueueWorkerOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Worker";

    /// <summary>How long a received message stays hidden from other workers while it is processed.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first retry delay of a transient failure without Retry-After; doubled per delivery.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest retry delay of a transient failure.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the continuous worker waits before asking an empty queue again.</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When draining until empty (<c>scimsync sync</c>), items released for at most this long are waited for;
    /// longer retries are left in the queue for the next run.
    /// </summary>
    public TimeSpan MaxWaitForRetries { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Attempts a work item gets for failures of its object (a timeout, a 500, a member not provisioned yet) before it
    /// is poison: its object stays pending, is shown as needing attention, and later cycles try it again.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// How long after a cycle enqueued a change a later cycle leaves it to its message: a change still unsettled after
    /// this is enqueued again (a lost or dead-lettered message cannot lose it). Long enough for a large queue to drain.
    /// </summary>
    public TimeSpan InFlightGrace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The first wait before a cycle re-drives a poisoned or unapplied change; doubled per re-drive up to a day.</summary>
    public TimeSpan PoisonRetryDelay { get; set; } = TimeSpan.FromMinutes(30);
}

internal sealed class QueueWorkerOptionsValidator(string sectionPath) : IValidateOptions<QueueWorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueWorkerOptions options)
    {
        var errors = new List<string>();
        if (options.VisibilityTimeout < TimeSpan.FromSeconds(10) || options.VisibilityTimeout > TimeSpan.FromHours(2))
        {
            errors.Add($"{sectionPath}:VisibilityTimeout: use 00:00:10 to 02:00:00 (got {options.VisibilityTimeout}).");
        }

        if (options.BaseRetryDelay <= TimeSpan.Zero || options.BaseRetryDelay > options.MaxRetryDelay)
        {
            errors.Add($"{sectionPath}:BaseRetryDelay: must be positive and at most {sectionPath}:MaxRetryDelay (got {options.BaseRetryDelay}).");
        }

        if (options.MaxRetryDelay > TimeSpan.FromDays(6))
        {
            errors.Add($"{sectionPath}:MaxRetryDelay: at most 6.00:00:00, the longest a queue message can stay hidden (got {options.MaxRetryDelay}).");
        }

        if (options.IdleDelay <= TimeSpan.Zero || options.IdleDelay > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{sectionPath}:IdleDelay: use a positive duration up to 00:05:00 (got {options.IdleDelay}).");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"{sectionPath}:MaxAttempts: use 1 to 100 (got {options.MaxAttempts}).");
        }

        if (options.InFlightGrace < TimeSpan.Zero || options.InFlightGrace > TimeSpan.FromDays(1))
        {
            errors.Add($"{sectionPath}:InFlightGrace: use 00:00:00 to 1.00:00:00 (got {options.InFlightGrace}).");
        }

        if (options.PoisonRetryDelay < TimeSpan.Zero || options.PoisonRetryDelay > TimeSpan.FromDays(1))
        {
            errors.Add($"{sectionPath}:PoisonRetryDelay: use 00:00:00 to 1.00:00:00 (got {options.PoisonRetryDelay}).");
        }

        if (options.MaxWaitForRetries < TimeSpan.Zero)
        {
            errors.Add($"{sectionPath}:MaxWaitForRetries: must not be negative (got {options.MaxWaitForRetries}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
