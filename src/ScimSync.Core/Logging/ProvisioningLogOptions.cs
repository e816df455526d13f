using Microsoft.Extensions.Options;

namespace ScimSync.Core.Logging;

/// <summary>How long provisioning log entries are kept.</summary>
public sealed class ProvisioningLogOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:ProvisioningLogs";

    /// <summary>Entries older than this are purged, by whole days (Entra keeps 30 days on premium licences).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

internal sealed class ProvisioningLogOptionsValidator(string sectionPath) : IValidateOptions<ProvisioningLogOptions>
{
    public ValidateOptionsResult Validate(string? name, ProvisioningLogOptions options) =>
        options.Retention >= TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{sectionPath}:Retention must be at least one day, e.g. 30.00:00:00 (got {options.Retention}).");
}
