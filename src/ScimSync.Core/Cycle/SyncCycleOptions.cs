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

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
