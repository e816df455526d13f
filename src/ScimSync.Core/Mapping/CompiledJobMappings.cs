using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Mapping;

/// <summary>A job's validated user and group mappings, ready for <see cref="MappingEngine"/>.</summary>
public sealed class CompiledJobMappings(JobId job, CompiledObjectMappings users, CompiledObjectMappings groups)
{
    public JobId Job { get; } = job;

    public CompiledObjectMappings Users { get; } = users;

    public CompiledObjectMappings Groups { get; } = groups;

    public CompiledObjectMappings For(ObjectKind kind) => kind == ObjectKind.User ? Users : Groups;
}
