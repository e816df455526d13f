using Microsoft.Extensions.Options;

namespace ScimSync.Core.Logging;

/// <summary>How long provisioning log entries are kept (section <c>ScimSync:Logs</c>).</summary>
public sealed class ProvisioningLogOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Logs";

    /// <summary>Days an entry is kept before the retention cleanup deletes it (Entra keeps 30 on premium licences).</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary><see cref="RetentionDays"/> as a duration.</summary>
    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}

internal sealed class ProvisioningLogOptionsValidator(string sectionPath) : IValidateOptions<ProvisioningLogOptions>
{
    public ValidateOptionsResult Validate(string? name, ProvisioningLogOptions options) =>
        options.RetentionDays is >= 1 and <= 3650
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{sectionPath}:RetentionDays: use 1 to 3650 days, e.g. 30 (got {options.RetentionDays}).");
}
