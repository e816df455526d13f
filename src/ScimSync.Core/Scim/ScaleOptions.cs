using System.Globalization;
using Microsoft.Extensions.Options;

namespace ScimSync.Core.Scim;

/// <summary>
/// How many processes of ScimSync may run at once (section <c>ScimSync:Scale</c>). Each process paces SCIM requests
/// on its own, so each takes an equal share of a job's <c>requestsPerSecond</c> and all of them together never send
/// more than the job allows (docs/decisions/003-rate-limits-across-instances.md).
/// </summary>
public sealed class ScaleOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Scale";

    /// <summary>The most processes that run the engine at once: the Function App's maximum instance count, 1 for <c>scimsync</c>.</summary>
    public int MaxInstances { get; set; } = 1;

    /// <summary>This process's share of a job's request rate.</summary>
    public double ShareOf(double requestsPerSecond) => requestsPerSecond / MaxInstances;
}

internal sealed class ScaleOptionsValidator(string sectionPath) : IValidateOptions<ScaleOptions>
{
    public ValidateOptionsResult Validate(string? name, ScaleOptions options) =>
        options.MaxInstances is >= 1 and <= 1000
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{sectionPath}:MaxInstances must be the most instances that run at once, 1 to 1000, the same number as the plan's maximum instance count (got {options.MaxInstances})."));
}
