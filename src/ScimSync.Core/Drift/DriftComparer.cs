using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Scim;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Drift;

/// <summary>
/// Compares what the target holds with ScimSync's record of what it applied: pure, so every rule is testable without
/// a target. Only objects ScimSync created or adopted are compared; everything else the target holds is reported as
/// foreign.
/// </summary>
public static class DriftComparer
{
    /// <summary>The objects of one kind that are missing, (in)active against the record, or whose attributes drifted; and the foreign ones.</summary>
    public static IReadOnlyList<DriftFinding> CompareObjects(IReadOnlyCollection<ObjectState> states, TargetInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(inventory);
        var findings = new List<DriftFinding>();
        foreach (var state in states.Where(IsManaged))
        {
            var id = state.TargetId!.Value;
            var kind = state.Kind;
            if (inventory.Missing.Contains(id))
            {
                findings.Add(state.Status == ObjectStatus.Disabled
                    ? new DriftFinding(DriftKind.Missing, kind, state.SourceId, id, state.DisplayName,
                        $"{kind} {id} was deactivated by ScimSync and is gone from the target; there is nothing to restore.") { Repairable = false }
                    : new DriftFinding(DriftKind.Missing, kind, state.SourceId, id, state.DisplayName,
                        $"{kind} {id} is gone from the target (deleted there, or never kept after its create was acknowledged)."));
                continue;
            }

            // A change in flight rewrites the record; its own result is checked by the worker, and the next scan checks it.
            if (state.Pending is not null || state.EscrowCount > 0 || !inventory.Resources.TryGetValue(id, out var resource))
            {
                continue;
            }

            var differences = ReturnedAttributeCheck.Differences(state.LastApplied, resource.Attributes);
            var active = differences.Where(d => d.Path.Equals("active", StringComparison.OrdinalIgnoreCase)).ToList();
            // A deactivated object's other attributes are no longer kept in step with the source.
            var others = state.Status == ObjectStatus.Disabled ? [] : differences.Except(active).ToList();
            foreach (var (path, sent, returned) in active)
            {
                var wantActive = sent.ValueKind == JsonValueKind.True;
                findings.Add(new DriftFinding(wantActive ? DriftKind.Deactivated : DriftKind.Reactivated, kind, state.SourceId, id, state.DisplayName,
                    wantActive
                        ? $"{kind} {id} is inactive in the target; ScimSync keeps it active."
                        : $"{kind} {id} is active in the target; ScimSync deactivated it.")
                {
                    Paths = [path],
                    Observed = Observed([(path, returned)]),
                });
            }

            if (others.Count > 0)
            {
                var paths = others.Select(d => d.Path).ToList();
                findings.Add(new DriftFinding(DriftKind.AttributesDiffer, kind, state.SourceId, id, state.DisplayName,
                    $"{kind} {id}: {string.Join(", ", paths)} differ{(paths.Count == 1 ? "s" : string.Empty)} from the value{(paths.Count == 1 ? string.Empty : "s")} ScimSync last applied.")
                {
                    Paths = paths,
                    Observed = Observed(others.Select(d => (d.Path, d.Returned))),
                });
            }
        }

        if (inventory.Listed)
        {
            var knownIds = states.Where(state => state.TargetId is not null).Select(state => state.TargetId!.Value).ToHashSet();
            foreach (var resource in inventory.Resources.Values.Where(resource => !knownIds.Contains(resource.Id)))
            {
                var name = resource.GetString(inventory.Kind == ObjectKind.User ? "userName" : "displayName");
                findings.Add(new DriftFinding(DriftKind.ForeignObject, inventory.Kind, null, resource.Id, name,
                    $"{inventory.Kind} {resource.Id} ({name}) is in the target but was never created or adopted by this job; it is left alone.") { Repairable = false });
            }
        }

        return findings;
    }

    /// <summary>
    /// The members of one managed group that differ from the edges ScimSync applied: applied members the group no longer
    /// has, members ScimSync removed (or left out) that are back, and members it never managed there.
    /// </summary>
    /// <param name="group">The group's state.</param>
    /// <param name="resource">The group as the target holds it, with its members.</param>
    /// <param name="edges">The group's membership edges.</param>
    /// <param name="targetIds">Target ids of managed objects by source id (users and groups).</param>
    public static IReadOnlyList<DriftFinding> CompareMembers(
        ObjectState group, ScimResource resource, IReadOnlyCollection<MembershipEdge> edges, IReadOnlyDictionary<SourceId, TargetId> targetIds)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(targetIds);
        var findings = new List<DriftFinding>();
        var have = resource.Members.ToHashSet();
        var sourceOf = targetIds.GroupBy(pair => pair.Value).ToDictionary(ids => ids.Key, ids => ids.First().Key);
        var edgeOf = edges.ToDictionary(edge => edge.Member);

        var missing = edges
            .Where(edge => edge.Applied && edge.Desired && (!targetIds.TryGetValue(edge.Member, out var memberId) || !have.Contains(memberId)))
            .Select(edge => edge.Member)
            .ToList();
        if (missing.Count > 0)
        {
            findings.Add(new DriftFinding(DriftKind.MembersMissing, ObjectKind.Group, group.SourceId, group.TargetId, group.DisplayName,
                $"Group {group.TargetId} lacks {missing.Count} member(s) ScimSync added.") { Members = missing });
        }

        var extra = new List<SourceId>();
        var foreign = new List<TargetId>();
        foreach (var member in have)
        {
            if (sourceOf.TryGetValue(member, out var source) && edgeOf.TryGetValue(source, out var edge))
            {
                if (!edge.Desired && !edge.Applied)
                {
                    extra.Add(source);
                }
            }
            else
            {
                foreign.Add(member);
            }
        }

        if (extra.Count > 0)
        {
            findings.Add(new DriftFinding(DriftKind.MembersExtra, ObjectKind.Group, group.SourceId, group.TargetId, group.DisplayName,
                $"Group {group.TargetId} has {extra.Count} member(s) back that ScimSync removed.") { Members = extra });
        }

        if (foreign.Count > 0)
        {
            findings.Add(new DriftFinding(DriftKind.ForeignMembers, ObjectKind.Group, group.SourceId, group.TargetId, group.DisplayName,
                $"Group {group.TargetId} has {foreign.Count} member(s) this job never added there; they are left alone.")
            {
                ForeignMemberIds = foreign,
                Repairable = false,
            });
        }

        return findings;
    }

    /// <summary>Objects a scan compares: created or adopted by the job, with a target id, not deleted.</summary>
    public static bool IsManaged(ObjectState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.MayDeprovision && state.Status is ObjectStatus.Provisioned or ObjectStatus.Disabled or ObjectStatus.Escrowed;
    }

    private static ScimAttributes Observed(IEnumerable<(string Path, JsonElement? Value)> values) =>
        ScimAttributes.From(values.Where(pair => pair.Value is not null).Select(pair => KeyValuePair.Create(pair.Path, pair.Value!.Value)));
}
