using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimSync.Core.Configuration;
using ScimSync.Core.Credentials;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Cycle;

/// <summary>The Graph readers of one job.</summary>
public sealed record JobDirectory(GraphDirectoryReader Directory, GraphAssignmentReader Assignments);

/// <summary>
/// One Graph client per job (jobs may read different tenants), built on first use from the job's source settings
/// and kept for the life of the process so its token cache and connections are reused. A managed-identity source
/// that names no identity signs in as the host's (<see cref="AzureIdentityOptions"/>).
/// </summary>
public sealed class JobDirectoryClients(ILoggerFactory loggerFactory, IOptions<AzureIdentityOptions> hostIdentity)
{
    private readonly ConcurrentDictionary<JobId, Lazy<JobDirectory>> _clients = new();

    /// <summary>The readers for <paramref name="job"/>.</summary>
    public JobDirectory For(ProvisioningJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _clients.GetOrAdd(job.Id, _ => new Lazy<JobDirectory>(() =>
        {
            var client = GraphClientBuilder.Build(job.Definition.Source, defaultManagedIdentityClientId: hostIdentity.Value.ManagedIdentityClientId);
            return new JobDirectory(
                new GraphDirectoryReader(client, loggerFactory.CreateLogger<GraphDirectoryReader>()),
                new GraphAssignmentReader(client, loggerFactory.CreateLogger<GraphAssignmentReader>()));
        })).Value;
    }
}
