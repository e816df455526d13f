namespace ScimSync.Core.Mapping;

/// <summary>A job file's mappings are invalid; the message lists every problem, one per line.</summary>
public sealed class MappingConfigurationException(IReadOnlyList<MappingValidationError> errors)
    : Exception("The attribute mappings are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<MappingValidationError> Errors { get; } = errors;
}
