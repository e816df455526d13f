namespace ScimSync.Core.Configuration;

/// <summary>The job file is invalid; <see cref="Errors"/> lists every problem with the setting's path.</summary>
public sealed class JobConfigurationException(string source, IReadOnlyList<string> errors)
    : Exception($"The job file '{source}' is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
{
    public string FileName { get; } = source;

    public IReadOnlyList<string> Errors { get; } = errors;
}
