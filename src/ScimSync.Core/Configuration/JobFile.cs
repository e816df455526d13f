namespace ScimSync.Core.Configuration;

/// <summary>The job file: every provisioning job this installation runs.</summary>
public sealed class JobFile
{
    public List<JobDefinition> Jobs { get; set; } = [];
}
