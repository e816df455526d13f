using System.Collections.Concurrent;
using ScimSync.Core.Configuration;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// One <see cref="ScimClient"/> per job for the life of the process, discovered once (/ServiceProviderConfig,
/// /ResourceTypes, /Schemas): discovery costs three requests, and every work item of the job shares its outcome.
/// A failed discovery is not kept, so the next item tries again.
/// </summary>
public sealed class JobScimClients(ScimClientFactory factory)
{
    private readonly ConcurrentDictionary<JobId, Lazy<Task<ScimClient>>> _clients = new();

    /// <summary>The job's client, created and discovered on first use.</summary>
    /// <exception cref="ScimException">Discovery failed (the target is down, or refuses the token).</exception>
    public async Task<ScimClient> GetAsync(ProvisioningJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var lazy = _clients.GetOrAdd(job.Id, _ => new Lazy<Task<ScimClient>>(() => CreateAsync(job)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            _clients.TryRemove(KeyValuePair.Create(job.Id, lazy));
            throw;
        }
    }

    // Discovery is shared by every caller, so one caller's cancellation must not cancel it for the others.
    private async Task<ScimClient> CreateAsync(ProvisioningJob job)
    {
        var client = factory.Create(job.Id, job.Definition.Target, settingPath: $"{job.SettingPath}.target");
        await client.DiscoverAsync(CancellationToken.None).ConfigureAwait(false);
        return client;
    }
}
