using ScimSync.Core.Identity;

namespace ScimSync.Core.Configuration;

/// <summary>The jobs of the loaded job file, by id.</summary>
public sealed class JobCatalog(IReadOnlyList<ProvisioningJob> jobs)
{
    public IReadOnlyList<ProvisioningJob> Jobs { get; } = jobs;

    public ProvisioningJob Get(JobId id) =>
        Jobs.FirstOrDefault(j => j.Id == id)
        ?? throw new KeyNotFoundException(
            $"No job '{id}' in the job file. Jobs: {string.Join(", ", Jobs.Select(j => j.Id.Value))}.");
}
