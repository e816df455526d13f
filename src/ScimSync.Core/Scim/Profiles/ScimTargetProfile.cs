using System.Text.Json;

namespace ScimSync.Core.Scim.Profiles;

/// <summary>
/// What ScimSync knows about a kind of SCIM target, as data: how to match, page and batch, how PATCH is spelled, and
/// which changes the target cannot take. The few decisions that depend on a job (verified domains, renames, group
/// size, deprovisioning) are small methods over that data, so a new target is a new instance, not a subclass.
/// </summary>
public sealed record ScimTargetProfile
{
    /// <summary>The name a job's <c>target.profile</c> uses, e.g. <c>atlassian-cloud</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The attribute users are matched on (<c>filter=userName eq "…"</c>).</summary>
    public string UserMatchAttribute { get; init; } = "userName";

    /// <summary>The attribute groups are matched on.</summary>
    public string GroupMatchAttribute { get; init; } = "displayName";

    /// <summary>The <c>count</c> asked for per list page; lowered further to the target's <c>filter.maxResults</c>.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Members per PATCH when adding or removing group members.</summary>
    public int MemberBatchSize { get; init; } = 100;

    /// <summary>The most members a group may have in the target, when it has a limit.</summary>
    public int? MaxGroupMembers { get; init; }

    /// <summary>How PATCH requests are spelled.</summary>
    public ScimPatchStyle Patch { get; init; } = ScimPatchStyle.Rfc7644;

    /// <summary>True when DELETE cannot be undone in the target, so deprovisioning disables unless a job asks to delete.</summary>
    public bool DeleteIsIrreversible { get; init; }

    /// <summary>False when the target cannot rename a group after it was created.</summary>
    public bool SupportsGroupRename { get; init; } = true;

    /// <summary>True when the target accepts users only on the organization's verified domains unless external users are allowed.</summary>
    public bool RestrictsUsersToVerifiedDomains { get; init; }

    /// <summary>True when group reads may send <c>excludedAttributes=members</c> (Entra does; Atlassian documents no such parameter on Groups).</summary>
    public bool ExcludesMembersOnGroupReads { get; init; }

    /// <summary>
    /// True when the target refuses (409) to create a user whose <see cref="UserMatchAttribute"/> value another user
    /// already has. Only then may a listing of the target taken before a create stand in for the lookup before it: a
    /// user created in the target after the listing is refused, and the create adopts it, instead of duplicating it.
    /// </summary>
    public bool RefusesDuplicateUsers { get; init; }

    /// <summary>True when the target refuses (409) to create a group whose <see cref="GroupMatchAttribute"/> value another group already has; see <see cref="RefusesDuplicateUsers"/>.</summary>
    public bool RefusesDuplicateGroups { get; init; }

    /// <summary>The attribute a resource kind is matched on.</summary>
    public string MatchAttributeFor(Directory.ObjectKind kind) =>
        kind == Directory.ObjectKind.User ? UserMatchAttribute : GroupMatchAttribute;

    /// <summary>Whether the target refuses a second object of the kind with the same match attribute value.</summary>
    public bool RefusesDuplicates(Directory.ObjectKind kind) =>
        kind == Directory.ObjectKind.User ? RefusesDuplicateUsers : RefusesDuplicateGroups;

    /// <summary>
    /// What deprovisioning a user does: disable, unless the job explicitly asks for deletion. Where
    /// <see cref="DeleteIsIrreversible"/> is true, plans and logs should say that a delete cannot be undone.
    /// </summary>
    public ScimDeprovisionAction DeprovisionActionFor(bool jobRequestsDelete) =>
        jobRequestsDelete ? ScimDeprovisionAction.Delete : DefaultDeprovisionAction;

    /// <summary>What deprovisioning does when the job does not ask for deletion; disable in every shipped profile.</summary>
    public ScimDeprovisionAction DefaultDeprovisionAction { get; init; } = ScimDeprovisionAction.Disable;

    /// <summary>Whether a user with these desired attributes may be created or updated in this job's target.</summary>
    public ScimProfileDecision DecideUserWrite(ScimAttributes desired, ScimTargetOptions target)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(target);
        if (!RestrictsUsersToVerifiedDomains || target.AllowExternalUsers)
        {
            return ScimProfileDecision.Send;
        }

        var verified = new HashSet<string>(target.VerifiedDomains.Select(d => d.Trim().TrimStart('@')), StringComparer.OrdinalIgnoreCase);
        foreach (var address in AddressesOf(desired))
        {
            var at = address.LastIndexOf('@');
            var domain = at >= 0 ? address[(at + 1)..] : string.Empty;
            if (!verified.Contains(domain))
            {
                return ScimProfileDecision.Skip(
                    ScimProfileDecision.InvalidDomain,
                    $"'{address}' is not on a verified domain of the organization ({string.Join(", ", verified.Order(StringComparer.OrdinalIgnoreCase))}). " +
                    "Verify the domain in Atlassian Administration, or set allowExternalUsers on the job's target to provision external users.");
            }
        }

        return ScimProfileDecision.Send;
    }

    /// <summary>Whether a group's display name change may be sent.</summary>
    public ScimProfileDecision DecideGroupRename(string appliedDisplayName, string desiredDisplayName)
    {
        if (SupportsGroupRename || string.Equals(appliedDisplayName, desiredDisplayName, StringComparison.Ordinal))
        {
            return ScimProfileDecision.Send;
        }

        return ScimProfileDecision.Skip(
            ScimProfileDecision.GroupRenameNotSupported,
            $"{Name} cannot rename a group after it has synced, so '{appliedDisplayName}' keeps its name instead of '{desiredDisplayName}'. " +
            "To rename it, create a new group with the new name, move the members, then delete the old group.");
    }

    /// <summary>Whether a group may hold this many members.</summary>
    public ScimProfileDecision DecideGroupSize(int desiredMemberCount)
    {
        if (MaxGroupMembers is not { } max || desiredMemberCount <= max)
        {
            return ScimProfileDecision.Send;
        }

        return ScimProfileDecision.Skip(
            ScimProfileDecision.GroupMemberLimitExceeded,
            $"The group would have {desiredMemberCount} members; {Name} allows at most {max} per group.");
    }

    private static IEnumerable<string> AddressesOf(ScimAttributes desired)
    {
        foreach (var (path, value) in desired.Values)
        {
            var isUserName = string.Equals(path, "userName", StringComparison.OrdinalIgnoreCase);
            var isEmail = path.StartsWith("emails", StringComparison.OrdinalIgnoreCase);
            if (!isUserName && !isEmail)
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                var text = value.GetString()!;
                if (isEmail && !path.EndsWith(".value", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                yield return text;
            }
            else if (isEmail && value.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in value.EnumerateArray())
                {
                    if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("value", out var email)
                        && email.ValueKind == JsonValueKind.String)
                    {
                        yield return email.GetString()!;
                    }
                }
            }
        }
    }
}
