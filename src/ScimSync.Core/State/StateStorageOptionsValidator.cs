using Microsoft.Extensions.Options;

namespace ScimSync.Core.State;

/// <summary>Checks <see cref="StateStorageOptions"/> at start-up; errors name the full setting path.</summary>
internal sealed class StateStorageOptionsValidator(string sectionPath) : IValidateOptions<StateStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StateStorageOptions options)
    {
        var errors = new List<string>();
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasConnectionString == (options.TableServiceUri is not null))
        {
            errors.Add($"Set exactly one of {sectionPath}:ConnectionString (a storage connection string) or " +
                       $"{sectionPath}:TableServiceUri (the Table endpoint, used with managed identity).");
        }

        if (options.TableServiceUri is { } uri && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)))
        {
            errors.Add($"{sectionPath}:TableServiceUri must be an absolute https URL such as https://account.table.core.windows.net (got '{uri}').");
        }

        if (!IsValidPrefix(options.TablePrefix))
        {
            errors.Add($"{sectionPath}:TablePrefix must be 1 to 40 letters or digits starting with a letter (got '{options.TablePrefix}').");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static bool IsValidPrefix(string? prefix) =>
        !string.IsNullOrEmpty(prefix) && prefix.Length <= 40 && char.IsAsciiLetter(prefix[0]) && prefix.All(char.IsAsciiLetterOrDigit);
}
