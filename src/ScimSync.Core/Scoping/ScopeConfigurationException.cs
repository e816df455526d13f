namespace ScimSync.Core.Scoping;

/// <summary>A scope in the job file is invalid; every problem is listed with its setting path.</summary>
public sealed class ScopeConfigurationException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
