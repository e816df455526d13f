using Microsoft.Extensions.Options;

namespace ScimSync.Core.State.Escrow;

internal sealed class EscrowPolicyOptionsValidator(string sectionPath) : IValidateOptions<EscrowPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, EscrowPolicyOptions options)
    {
        var errors = new List<string>();
        if (options.FirstRetryDelay < TimeSpan.Zero)
        {
            errors.Add($"{sectionPath}:FirstRetryDelay must be zero (the next cycle) or positive (got {options.FirstRetryDelay}).");
        }

        if (options.BaseDelay <= TimeSpan.Zero)
        {
            errors.Add($"{sectionPath}:BaseDelay must be positive, e.g. 00:30:00 (got {options.BaseDelay}).");
        }

        if (options.MaxDelay < options.BaseDelay)
        {
            errors.Add($"{sectionPath}:MaxDelay ({options.MaxDelay}) must be at least {sectionPath}:BaseDelay ({options.BaseDelay}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
