using ScimSync.Core.Identity;
using ScimSync.Core.Mapping;
using ScimSync.Core.Scim.Profiles;

namespace ScimSync.Core.Configuration;

/// <summary>A validated job, ready to run: its definition with the target profile and compiled mappings resolved.</summary>
public sealed record ProvisioningJob(JobId Id, int Index, JobDefinition Definition, ScimTargetProfile Profile, CompiledJobMappings Mappings)
{
    /// <summary>The setting path of this job in the job file, e.g. <c>jobs[0]</c>.</summary>
    public string SettingPath => $"jobs[{Index}]";
}
