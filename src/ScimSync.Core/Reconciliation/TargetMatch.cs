using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Looks for the target object of a source object that has none yet, on each matching attribute in turn: the first
/// attribute with one match adopts it; more than one match on an attribute stops, because ScimSync adopts only a single
/// match. A value the cycle's listing of the target proved absent (<see cref="WorkItem.AbsentMatches"/>) is not looked
/// up, where the target refuses a duplicate of it (a create that meets one made since the listing conflicts and adopts
/// it). Reads only; the reconciliation and the plan both decide from it.
/// </summary>
internal sealed record TargetMatch(IReadOnlyList<TargetMatch.Probe> Probes)
{
    /// <summary>One lookup: the matching attribute, the value looked for, and what the target returned.</summary>
    /// <param name="Listed">True when the value was not looked up because the cycle's listing of the target did not hold it.</param>
    public sealed record Probe(string Attribute, string Value, IReadOnlyList<ScimResource> Found, bool Listed = false);

    /// <summary>The single object to adopt, or null.</summary>
    public ScimResource? Adopted => Probes.Count > 0 && Probes[^1].Found.Count == 1 ? Probes[^1].Found[0] : null;

    /// <summary>The lookup that found more than one object, or null.</summary>
    public Probe? Duplicates => Probes.Count > 0 && Probes[^1].Found.Count > 1 ? Probes[^1] : null;

    public static async Task<TargetMatch> FindAsync(ScimClient client, WorkItem item, MappingResult mapped, CancellationToken cancellationToken)
    {
        var probes = new List<Probe>();
        foreach (var matching in mapped.Matching)
        {
            var value = ScimValues.Text(matching.Value);
            if (ProvenAbsent(client.Profile, item, matching.Target, value))
            {
                probes.Add(new Probe(matching.Target, value, [], Listed: true));
                continue;
            }

            var found = await client.FindAsync(item.Kind, matching.Target, value, cancellationToken).ConfigureAwait(false);
            probes.Add(new Probe(matching.Target, value, found));
            if (found.Count > 0)
            {
                break;
            }
        }

        return new TargetMatch(probes);
    }

    /// <summary>
    /// The failure of a source object whose target object belongs to another source object of the job (Entra's
    /// DuplicateSourceEntries): both map to the same matching value. The target object is left as it is.
    /// </summary>
    /// <param name="matched">The matching attribute and value that led to the target object, when a lookup found it.</param>
    public static ReconciliationError DuplicateSourceError(
        ObjectKind kind, TargetId target, string describe, SourceId holder, string? holderName, (string Attribute, string Value)? matched)
    {
        var on = matched is { } match ? $" on {match.Attribute} eq \"{match.Value}\"" : string.Empty;
        var holderText = holderName is null ? $"source object {holder}" : $"source object {holder} ({holderName})";
        return new ReconciliationError(
            WorkItemResult.Failed, ScimFailureClassifier.DuplicateSourceEntries,
            $"{describe} matches {kind} {target} in the target{on}, which ScimSync already provisions for {holderText}. " +
            $"A target object belongs to one source object only, so {describe} is not provisioned and {kind} {target} is left as it is.",
            matched is { } same
                ? $"Two source objects map to the same {same.Attribute}: correct the source value of one of them (or the job's mapping of {same.Attribute}); this object is tried again in later cycles."
                : "Two source objects map to the same target object: correct the source value of one of them or the job's mappings; this object is tried again in later cycles.");
    }

    /// <summary>
    /// True when the item carries a listing's proof that the target holds no object with this value of the profile's
    /// match attribute, and the target refuses a second object with the same value. The proof is for the value the
    /// cycle mapped: a value mapped differently since (the job's mappings changed) is looked up.
    /// </summary>
    public static bool ProvenAbsent(ScimTargetProfile profile, WorkItem item, string attribute, string value) =>
        profile.RefusesDuplicates(item.Kind)
        && string.Equals(attribute, profile.MatchAttributeFor(item.Kind), StringComparison.OrdinalIgnoreCase)
        && item.AbsentMatches.Any(absent =>
            string.Equals(absent.Attribute, attribute, StringComparison.OrdinalIgnoreCase) && string.Equals(absent.Value, value, StringComparison.Ordinal));

    /// <summary>The failure of a lookup that found several objects, in the words of the provisioning log.</summary>
    public static ReconciliationError DuplicateError(Probe probe, ObjectKind kind, string describe)
    {
        var ids = string.Join(", ", probe.Found.Select(r => r.Id.Value));
        return new ReconciliationError(
            WorkItemResult.Failed, ScimFailureClassifier.DuplicateTargetEntries,
            $"{probe.Found.Count} {kind}s in the target match {describe} on {probe.Attribute} eq \"{probe.Value}\" (ids {ids}); ScimSync adopts only a single match.",
            $"Remove or merge the duplicate {kind}s in the target so that exactly one has {probe.Attribute} \"{probe.Value}\", or change the matching attributes of the job's mappings.");
    }
}
