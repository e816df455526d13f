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

    /// <param name="settingsFiles">The <c>--settings</c> files, later ones winning.</param>
    /// <param name="jobsFile">The <c>--jobs</c> file, if given.</param>
    /// <param name="overrides">Settings that win over every source.</param>
    /// <param name="reloadSettings">
    /// Re-read the settings files when they change (<c>run</c>, a long-lived process: a rotated SCIM token takes effect
    /// without a restart). A change that does not parse is ignored, and the settings read before stay in force.
    /// </param>
    public static IConfigurationRoot Build(
        IEnumerable<FileInfo> settingsFiles, FileInfo? jobsFile, IReadOnlyDictionary<string, string?>? overrides = null, bool reloadSettings = false)
    {
        var builder = new ConfigurationBuilder();
        var loaded = false;
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

            builder.AddJsonFile(source =>
            {
                source.Path = file.Name;
                source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(file.DirectoryName!);
                source.Optional = false;
                source.ReloadOnChange = reloadSettings;
                // A file saved half-way through an edit must not stop a running process; the first read still fails loudly.
                source.OnLoadException = failure => failure.Ignore = loaded;
            });
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
            var configuration = builder.Build();
            loaded = true;
            return configuration;
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
