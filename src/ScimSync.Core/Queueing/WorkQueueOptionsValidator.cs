using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ScimSync.Core.Queueing;

/// <summary>Checks <see cref="WorkQueueOptions"/> at start-up; errors name the full setting path.</summary>
internal sealed partial class WorkQueueOptionsValidator(string sectionPath) : IValidateOptions<WorkQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkQueueOptions options)
    {
        var errors = new List<string>();
        if (!StorageQueueName().IsMatch(options.QueueName ?? string.Empty))
        {
            errors.Add($"{sectionPath}:QueueName must be 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (got '{options.QueueName}').");
        }

        if (options.SendParallelism is < 1 or > 256)
        {
            errors.Add($"{sectionPath}:SendParallelism must be between 1 and 256 (got {options.SendParallelism}).");
        }

        if (options.ItemsPerMessage is < 1 or > 32)
        {
            errors.Add($"{sectionPath}:ItemsPerMessage must be between 1 and 32 (got {options.ItemsPerMessage}).");
        }

        if (options.MaxDequeueCount is < 1 or > 100)
        {
            errors.Add($"{sectionPath}:MaxDequeueCount must be between 1 and 100 (got {options.MaxDequeueCount}).");
        }

        if (!Enum.IsDefined(options.Transport))
        {
            errors.Add($"{sectionPath}:Transport must be StorageQueue or ServiceBus (got '{options.Transport}').");
        }

        // The poison path and the local worker use Storage even when Service Bus carries the work.
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (options.Transport == WorkQueueTransport.StorageQueue && hasConnectionString == (options.QueueServiceUri is not null))
        {
            errors.Add($"Set exactly one of {sectionPath}:ConnectionString (a storage connection string) or {sectionPath}:QueueServiceUri (the Queue endpoint, used with managed identity).");
        }

        if (options.Transport == WorkQueueTransport.ServiceBus)
        {
            var bus = options.ServiceBus;
            if (string.IsNullOrWhiteSpace(bus.ConnectionString) == string.IsNullOrWhiteSpace(bus.FullyQualifiedNamespace))
            {
                errors.Add($"Set exactly one of {sectionPath}:ServiceBus:ConnectionString or {sectionPath}:ServiceBus:FullyQualifiedNamespace (used with managed identity).");
            }

            if (string.IsNullOrWhiteSpace(bus.QueueName))
            {
                errors.Add($"{sectionPath}:ServiceBus:QueueName must name the Service Bus queue.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex StorageQueueName();
}
