using System.Collections;
using Microsoft.Extensions.Configuration;
using ScimSync.Core;

namespace ScimSync.Cli.Hosting;

/// <summary>
/// Builds the settings a command runs with. Later sources win: defaults, <c>--settings</c> files, environment
/// variables (<c>ScimSync__State__ConnectionString</c> as in any .NET app, or the shorter
/// <c>SCIMSYNC_STATE__CONNECTIONSTRING</c>, read under <c>ScimSync:</c>), then <c>--jobs</c>.
/// </summary>
public static class CliConfiguration
{
    /// <summary>The prefix of environment variables read under <c>ScimSync:</c>.</summary>
    public const string EnvironmentPrefix = "SCIMSYNC_";

    /// <summary>The job file used when neither <c>--jobs</c> nor <c>ScimSync:JobsFile</c> names one.</summary>
    public const string DefaultJobsFile = "jobs.json";

    public static IConfigurationRoot Build(IEnumerable<FileInfo> settingsFiles, FileInfo? jobsFile, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        builder.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ScimSyncCoreServiceCollectionExtensions.JobsFileSetting] = DefaultJobsFile,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        foreach (var file in settingsFiles)
        {
            if (!file.Exists)
            {
                throw new CliUsageException($"--settings: the file '{file.FullName}' does not exist.");
            }

            builder.AddJsonFile(file.FullName, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(PrefixedEnvironment());
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        if (jobsFile is not null)
        {
            builder.AddInMemoryCollection(new Dictionary<string, string?> { [ScimSyncCoreServiceCollectionExtensions.JobsFileSetting] = jobsFile.FullName });
        }

        try
        {
            return builder.Build();
        }
        catch (InvalidDataException error)
        {
            throw new CliUsageException($"--settings: {error.Message}");
        }
    }

    private static Dictionary<string, string?> PrefixedEnvironment()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > EnvironmentPrefix.Length)
            {
                settings["ScimSync:" + name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = (string?)variable.Value;
            }
        }

        return settings;
    }
}
