using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimSync.Core.Configuration;
using Spectre.Console;

namespace ScimSync.Cli.Hosting;

/// <summary>One command's run: its settings, the composed services, the job file and the consoles.</summary>
public sealed class CliSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _validated;

    public CliSession(IConfigurationRoot configuration, IAnsiConsole output, IAnsiConsole error)
    {
        Configuration = configuration;
        Output = output;
        Error = error;
        _services = new ServiceCollection().AddScimSyncCli(configuration).BuildServiceProvider();
    }

    public IConfigurationRoot Configuration { get; }

    public IAnsiConsole Output { get; }

    public IAnsiConsole Error { get; }

    /// <summary>The loaded and validated job file (a bad file throws <see cref="JobConfigurationException"/>).</summary>
    public JobCatalog Jobs => _services.GetRequiredService<JobCatalog>();

    /// <summary>
    /// A service, after the settings of every service have been validated once (a missing connection string fails
    /// here with the setting's full name rather than deep inside a call).
    /// </summary>
    public T Get<T>()
        where T : notnull
    {
        if (!_validated)
        {
            _services.GetService<IStartupValidator>()?.Validate();
            _validated = true;
        }

        return _services.GetRequiredService<T>();
    }

    /// <summary>The jobs a command acts on: the one named by <c>--job</c>, or every job in the file.</summary>
    public IReadOnlyList<ProvisioningJob> SelectJobs(string? jobId)
    {
        var jobs = Jobs;
        if (string.IsNullOrWhiteSpace(jobId))
        {
            return jobs.Jobs;
        }

        return jobs.Jobs.FirstOrDefault(job => string.Equals(job.Id.Value, jobId, StringComparison.OrdinalIgnoreCase)) is { } found
            ? [found]
            : throw new CliUsageException($"--job: there is no job '{jobId}' in the job file. Jobs: {string.Join(", ", jobs.Jobs.Select(j => j.Id.Value))}.");
    }

    /// <summary>The one job a command acts on: the one named by <c>--job</c>, or the only job in the file.</summary>
    public ProvisioningJob SelectJob(string? jobId)
    {
        var jobs = SelectJobs(jobId);
        return jobs.Count == 1
            ? jobs[0]
            : throw new CliUsageException($"--job: the job file has {jobs.Count} jobs; name one with --job ({string.Join(", ", jobs.Select(j => j.Id.Value))}).");
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
