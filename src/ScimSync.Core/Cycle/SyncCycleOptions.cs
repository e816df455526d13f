using Microsoft.Extensions.Options;

namespace ScimSync.Core.Cycle;

/// <summary>Settings of the cycle runner (section <c>ScimSync:Cycle</c>).</summary>
public sealed class SyncCycleOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Cycle";

    /// <summary>How long a cycle holds the job's lease before another may take over (renewed before enqueueing).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Work items handed to the queue sender at once (the sender sends each batch in parallel).</summary>
    public int SendBatchSize { get; set; } = 500;

    /// <summary>
    /// How many work items the queue may hold ahead of the workers while a cycle sends its items (a message counts as
    /// many as it may carry): the cycle sends the next wave once the workers brought the queue down to half of this. 0
    /// sends everything without waiting for room (still a wave of at most 1,000 items at a time).
    /// </summary>
    public int MaxQueueDepth { get; set; } = 500;

    /// <summary>
    /// How long one cycle waits in all for the queue to make room; then it sends the rest at once. Keep it well under
    /// the host's function timeout.
    /// </summary>
    public TimeSpan MaxWaveWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many objects with work a cycle holds while it reads. Beyond this, it sends the users' upserts it holds (in
    /// waves, as the queue makes room) until it holds half as many objects, and reads on, so that a large cycle's
    /// memory stays bounded; such upserts go before every membership slice instead of beside them. Groups and
    /// deprovisions are always held. Nothing is sent while a full read could still fall under the job's
    /// minimumFullReadRatio. 0 holds the whole plan.
    /// </summary>
    public int MaxHeldObjects { get; set; } = 5_000;
}

internal sealed class SyncCycleOptionsValidator(string sectionPath) : IValidateOptions<SyncCycleOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncCycleOptions options)
    {
        var errors = new List<string>();
        if (options.LeaseDuration < TimeSpan.FromMinutes(1) || options.LeaseDuration > TimeSpan.FromHours(24))
        {
            errors.Add($"{sectionPath}:LeaseDuration: use 00:01:00 to 1.00:00:00 (got {options.LeaseDuration}).");
        }

        if (options.SendBatchSize is < 1 or > 10_000)
        {
            errors.Add($"{sectionPath}:SendBatchSize: use 1 to 10000 (got {options.SendBatchSize}).");
        }

        if (options.MaxQueueDepth is not 0 and (< 100 or > 1_000_000))
        {
            errors.Add($"{sectionPath}:MaxQueueDepth: use 0 (no waves) or 100 to 1000000 (got {options.MaxQueueDepth}).");
        }

        if (options.MaxHeldObjects is not 0 and (< 100 or > 10_000_000))
        {
            errors.Add($"{sectionPath}:MaxHeldObjects: use 0 (hold the whole plan) or 100 to 10000000 (got {options.MaxHeldObjects}).");
        }

        if (options.MaxWaveWait < TimeSpan.Zero || options.MaxWaveWait > TimeSpan.FromHours(1))
        {
            errors.Add($"{sectionPath}:MaxWaveWait: use 00:00:00 to 01:00:00 (got {options.MaxWaveWait}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
