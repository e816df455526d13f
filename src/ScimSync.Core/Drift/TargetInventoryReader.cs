using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Drift;

/// <summary>
/// Reads everything the target holds of one kind for a drift scan, page by page, without trusting the paging: a page
/// that starts elsewhere than asked or repeats resources already read means the target ignores <c>startIndex</c>, and
/// <c>totalResults</c> is never the reason to stop (a short or empty page is). When the list cannot be trusted, each
/// object ScimSync knows is read by id instead; a known object the list did not return is read by id before it is
/// called missing. On a target that pages correctly this costs one request per page plus one.
/// </summary>
public static class TargetInventoryReader
{
    // A target that keeps answering with new resources is cut off here rather than read for ever.
    private const int MaxPages = 20_000;

    /// <summary>Reads the kind's resources, and confirms by id every known object the list did not return.</summary>
    /// <param name="client">The job's SCIM client.</param>
    /// <param name="kind">User or group.</param>
    /// <param name="known">Target ids of the objects ScimSync created or adopted.</param>
    /// <param name="readMembersById">True to read each known group by id for its members (the list leaves them out).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<TargetInventory> ReadAsync(
        ScimClient client, ObjectKind kind, IReadOnlyCollection<TargetId> known, bool readMembersById, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(known);
        var resources = new Dictionary<TargetId, ScimResource>();
        var requests = 0;
        string? problem = null;
        var pageSize = client.PageSize;
        var startIndex = 1;
        var claimedTotal = 0;
        while (true)
        {
            if (requests >= MaxPages)
            {
                problem = $"the list did not end after {MaxPages:N0} pages";
                break;
            }

            var page = await client.ReadPageAsync(kind, startIndex, pageSize, cancellationToken).ConfigureAwait(false);
            requests++;
            claimedTotal = page.TotalResults;
            if (page.Resources.Count == 0)
            {
                break;
            }

            if (page.StartIndex is { } answered && answered != startIndex)
            {
                problem = $"asked for startIndex {startIndex}, the target answered with startIndex {answered}";
                break;
            }

            if (page.Resources.Any(resource => resources.ContainsKey(resource.Id)))
            {
                problem = $"the page at startIndex {startIndex} repeated {page.Resources.Count(resource => resources.ContainsKey(resource.Id))} resource(s) already read: the target ignores startIndex";
                break;
            }

            foreach (var resource in page.Resources)
            {
                resources[resource.Id] = resource;
            }

            startIndex += page.Resources.Count;

            // A short page ends the list once the total agrees; a target whose pages are smaller than asked goes on.
            if (page.Resources.Count < pageSize && resources.Count >= page.TotalResults)
            {
                break;
            }
        }

        var listed = problem is null;
        if (!listed)
        {
            resources.Clear();
        }
        else if (claimedTotal != resources.Count)
        {
            problem = $"the target reported totalResults {claimedTotal:N0} but listed {resources.Count:N0}";
        }

        var missing = new HashSet<TargetId>();
        foreach (var id in known.Where(id => !resources.ContainsKey(id) || (readMembersById && kind == ObjectKind.Group)))
        {
            requests++;
            try
            {
                resources[id] = await client.GetAsync(kind, id, cancellationToken).ConfigureAwait(false);
            }
            catch (ScimException error) when (error.Classification == ScimErrorClassification.NotFound)
            {
                missing.Add(id);
            }
        }

        return new TargetInventory(kind, resources, missing, listed, problem, requests);
    }
}
