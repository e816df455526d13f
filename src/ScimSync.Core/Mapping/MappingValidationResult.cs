namespace ScimSync.Core.Mapping;

/// <summary>The outcome of validating a job's mappings: every error found, or the compiled mappings.</summary>
public sealed class MappingValidationResult
{
    internal MappingValidationResult(IReadOnlyList<MappingValidationError> errors, CompiledJobMappings? mappings)
    {
        Errors = errors;
        Mappings = errors.Count == 0 ? mappings : null;
    }

    public IReadOnlyList<MappingValidationError> Errors { get; }

    /// <summary>The compiled mappings when there are no errors, otherwise null.</summary>
    public CompiledJobMappings? Mappings { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>The compiled mappings.</summary>
    /// <exception cref="MappingConfigurationException">There are errors; the exception lists them all.</exception>
    public CompiledJobMappings GetMappingsOrThrow() => Mappings ?? throw new MappingConfigurationException(Errors);

    public override string ToString() => IsValid ? "valid" : string.Join(Environment.NewLine, Errors);
}
