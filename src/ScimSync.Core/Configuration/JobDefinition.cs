using ScimSync.Core.Directory;
using ScimSync.Core.Mapping;
using ScimSync.Core.Scim;
using ScimSync.Core.Scoping;

namespace ScimSync.Core.Configuration;

/// <summary>
/// One provisioning job as written in the job file: source + target + scope + mappings + policy.
/// Secrets never sit here: the target names the app setting that holds its token, the source the one that holds
/// its client secret.
/// </summary>
public sealed class JobDefinition
{
    /// <summary>A short stable id (letters, digits, '-', '_'): every table row of the job is partitioned by it.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>A name for people, shown on the status page.</summary>
    public string? DisplayName { get; set; }

    public GraphSourceOptions Source { get; set; } = new();

    /// <summary>The app setting holding the Graph client secret, when <c>source.credential</c> is ClientSecret.</summary>
    public string? SourceClientSecretSetting { get; set; }

    public ScimTargetOptions Target { get; set; } = new();

    public ScopeDefinition Scope { get; set; } = new();

    public JobMappingsConfiguration Mappings { get; set; } = new();

    public JobPolicy Policy { get; set; } = new();
}
