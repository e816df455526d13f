using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scim;

/// <summary>
/// Reads everything the target holds of one kind, page by page, without trusting the paging: a page that starts
/// elsewhere than asked or repeats resources already read means the target ignores <c>startIndex</c>, and
/// <c>totalResults</c> is never the reason to stop (a short or empty page is), though a total that disagrees with what
/// was listed is reported. On a target that pages correctly a listing costs one request per page (plus one when the
/// last page is full). Drift scans read an inventory with <see cref="ReadAsync"/>; matching many objects at once lists
/// with <see cref="ListAsync"/>.
/// </summary>
public static class TargetInventoryReader
{
    // A target that keeps answering with new resources is cut off here rather than read for ever.
    private const int MaxPages = 20_000;

    /// <summary>
    /// Reads the kind's resources for a drift scan, and confirms by id every known object the list did not return.
    /// When the list cannot be trusted, each object ScimSync knows is read by id instead; a known object the list did
    /// not return is read by id before it is called missing.
    /// </summary>
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
        var listing = await ListAsync(client, kind, resource => resources[resource.Id] = resource, MaxPages, cancellationToken).ConfigureAwait(false);
        var requests = listing.Requests;
        if (!listing.Listed)
        {
            resources.Clear();
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

        return new TargetInventory(kind, resources, missing, listing.Listed, listing.Problem, requests);
    }

    /// <summary>
    /// Lists the kind's resources page by page and hands each to <paramref name="visit"/>, at most
    /// <paramref name="maxPages"/> requests: a list the target says is longer stops after its first page. Pages are
    /// visited as they arrive, so when the result is not <see cref="TargetListing.Listed"/> the caller must drop what
    /// it was handed.
    /// </summary>
    /// <param name="client">The job's SCIM client.</param>
    /// <param name="kind">User or group.</param>
    /// <param name="visit">Called for each resource listed.</param>
    /// <param name="maxPages">The most requests the listing may take.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="ScimException">A page could not be read.</exception>
    public static async Task<TargetListing> ListAsync(
        ScimClient client, ObjectKind kind, Action<ScimResource> visit, int maxPages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(visit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPages);
        var seen = new HashSet<TargetId>();
        var requests = 0;
        string? problem = null;
        var pageSize = client.PageSize;
        var startIndex = 1;
        var claimedTotal = 0;
        var tooLong = false;
        while (true)
        {
            if (requests >= maxPages)
            {
                problem = $"the list did not end after {maxPages:N0} pages";
                tooLong = true;
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

            if (page.Resources.Count(resource => seen.Contains(resource.Id)) is > 0 and var repeated)
            {
                problem = $"the page at startIndex {startIndex} repeated {repeated} resource(s) already read: the target ignores startIndex";
                break;
            }

            if (requests == 1 && (page.TotalResults + (long)pageSize - 1) / pageSize > maxPages)
            {
                problem = $"the target holds {page.TotalResults:N0} {kind}s, more than {maxPages:N0} pages of {pageSize}";
                tooLong = true;
                break;
            }

            foreach (var resource in page.Resources)
            {
                seen.Add(resource.Id);
                visit(resource);
            }

            startIndex += page.Resources.Count;

            // A short page ends the list once the total agrees; a target whose pages are smaller than asked goes on.
            if (page.Resources.Count < pageSize && seen.Count >= page.TotalResults)
            {
                break;
            }
        }

        var listed = problem is null;
        if (listed && claimedTotal != seen.Count)
        {
            problem = $"the target reported totalResults {claimedTotal:N0} but listed {seen.Count:N0}";
        }

        return new TargetListing(listed, problem, requests, listed ? seen.Count : 0, tooLong);
    }
}
