using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Matches many objects from one listing. When many upserts of a cycle have no target object yet (an initial sync, a
/// lost state store), the target's users (or groups) are listed once, about one request per 100 objects, instead of a
/// lookup per object. An upsert whose match attribute value the listing does not hold carries that proof
/// (<see cref="WorkItem.AbsentMatches"/>), and its worker creates the object without a lookup; a value the listing
/// holds is looked up as before, so adoption, duplicates and conflicts are decided exactly as without the listing.
/// </summary>
/// <remarks>
/// A listing is a snapshot: an object created in the target after it was taken (by someone else, or by an earlier
/// attempt of the same item whose result was not recorded) is not in it. So the proof is given only where the job's
/// profile says the target refuses a second object with the same value (<see cref="Scim.Profiles.ScimTargetProfile.RefusesDuplicates"/>):
/// the create then meets a 409, and the create path adopts the object it conflicts with. The listing is taken only
/// when it costs fewer requests than the lookups it replaces, and its answer is used only when the target paged
/// correctly (<see cref="TargetListing.Complete"/>); otherwise every object is looked up as before. Values are compared
/// without case, so a value the target's own <c>eq</c> lookup could find is never taken as absent.
/// </remarks>
public sealed partial class MatchListing(JobScimClients clients, MappingEngine mapping, ILogger<MatchListing> logger)
{
    /// <summary>
    /// Lists the target's objects of each kind where one listing costs fewer requests than looking the unmatched
    /// upserts of <paramref name="items"/> up one by one. Never throws for the target's failure: the kind is then not
    /// listed, and its workers look every value up.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="items">The cycle's work items, or as many of them as it has planned so far.</param>
    /// <param name="unmatched">True for an item whose object has no target id.</param>
    /// <param name="matched">How many objects of a kind have a target id: the target holds at least as many, so a listing takes at least as many pages.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    internal async Task<TargetMatchValues> ListAsync(
        ProvisioningJob job, IReadOnlyList<WorkItem> items, Func<WorkItem, bool> unmatched, Func<ObjectKind, int> matched, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<ObjectKind, (string Attribute, HashSet<string> Present)>();
        int? targetUsers = null;
        foreach (var kind in (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            if (!job.Profile.RefusesDuplicates(kind))
            {
                continue;
            }

            var attribute = job.Profile.MatchAttributeFor(kind);
            var candidates = Candidates(job, items, kind, attribute, unmatched).Count;

            // A listing must take fewer requests than the lookups it replaces.
            if (matched(kind) / job.Profile.PageSize + 1 >= candidates)
            {
                continue;
            }

            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            TargetListing listing;
            try
            {
                var client = await clients.GetAsync(job, cancellationToken).ConfigureAwait(false);
                listing = await TargetInventoryReader.ListAsync(client, kind, resource =>
                {
                    if (resource.Attributes[attribute] is { ValueKind: JsonValueKind.String } value)
                    {
                        present.Add(value.GetString()!);
                    }
                }, maxPages: candidates - 1, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogListingFailed(logger, error, job.Id, kind, candidates);
                continue;
            }

            if (listing.TooLong)
            {
                LogListingTooLong(logger, job.Id, kind, candidates);
                continue;
            }

            if (!listing.Complete)
            {
                LogListingNotUsed(logger, job.Id, kind, listing.Problem!, candidates);
                continue;
            }

            listed[kind] = (attribute, present);
            if (kind == ObjectKind.User)
            {
                targetUsers = listing.Count;
            }

            LogListed(logger, job.Id, kind, listing.Count, listing.Requests, candidates);
        }

        return new TargetMatchValues(listed, targetUsers);
    }

    /// <summary>
    /// Adds to each upsert in <paramref name="items"/> that <paramref name="unmatched"/> accepts (its object has no
    /// target id) the proof that <paramref name="values"/> found no object with its match attribute value.
    /// </summary>
    internal IReadOnlyList<WorkItem> MarkAbsent(ProvisioningJob job, TargetMatchValues values, IReadOnlyList<WorkItem> items, Func<WorkItem, bool> unmatched)
    {
        var marked = items.ToArray();
        foreach (var (kind, (attribute, present)) in values.Listed)
        {
            var absent = 0;
            var candidates = Candidates(job, marked, kind, attribute, unmatched);
            foreach (var (index, value) in candidates.Where(candidate => !present.Contains(candidate.Value)))
            {
                marked[index] = marked[index].WithAbsentMatches([new AbsentMatch(attribute, value)]);
                absent++;
            }

            if (candidates.Count > 0)
            {
                LogMarked(logger, job.Id, kind, absent, candidates.Count);
            }
        }

        return marked;
    }

    /// <summary>The unmatched upserts of a kind with a text value for the match attribute, mapped as their create would be.</summary>
    private List<(int Index, string Value)> Candidates(ProvisioningJob job, IReadOnlyList<WorkItem> items, ObjectKind kind, string attribute, Func<WorkItem, bool> unmatched)
    {
        var candidates = new List<(int, string)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Operation != WorkOperation.Upsert || item.Kind != kind || item.Snapshot is not { } snapshot || !unmatched(item))
            {
                continue;
            }

            var mapped = mapping.Map(snapshot, job.Mappings, isCreate: true);
            var matching = mapped.Succeeded
                ? mapped.Matching.FirstOrDefault(value => string.Equals(value.Target, attribute, StringComparison.OrdinalIgnoreCase))
                : null;
            if (matching is { Value.ValueKind: JsonValueKind.String })
            {
                candidates.Add((i, ScimValues.Text(matching.Value)));
            }
        }

        return candidates;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: listed {Listed} {Kind}s of the target in {Requests} requests instead of looking {Candidates} objects without a target object up one by one")]
    private static partial void LogListed(ILogger logger, JobId job, ObjectKind kind, int listed, int requests, int candidates);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Job}: {Absent} of {Candidates} {Kind}s without a target object are not in the target's listing and are created without a lookup")]
    private static partial void LogMarked(ILogger logger, JobId job, ObjectKind kind, int absent, int candidates);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: the target holds too many {Kind}s for a listing to be cheaper than looking {Candidates} objects up one by one")]
    private static partial void LogListingTooLong(ILogger logger, JobId job, ObjectKind kind, int candidates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the listing of the target's {Kind}s is not used ({Problem}); {Candidates} objects are looked up one by one")]
    private static partial void LogListingNotUsed(ILogger logger, JobId job, ObjectKind kind, string problem, int candidates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the target's {Kind}s could not be listed; {Candidates} objects are looked up one by one")]
    private static partial void LogListingFailed(ILogger logger, Exception exception, JobId job, ObjectKind kind, int candidates);
}
