namespace ScimSync.Core.Scim.Profiles;

/// <summary>The profiles that ship with ScimSync.</summary>
public static class ScimTargetProfiles
{
    /// <summary>
    /// Atlassian Cloud user provisioning (docs/reference/atlassian-scim-api.md): users matched on userName, groups
    /// on displayName (the only filters it supports); DELETE removes the SCIM record for good, so deprovisioning
    /// disables; groups cannot be renamed; at most 100 items per page and 35,000 members per group; users only on
    /// verified domains unless the job allows external users; a second user with the same userName, or group with the
    /// same displayName, is refused with 409.
    /// </summary>
    public static readonly ScimTargetProfile AtlassianCloud = new()
    {
        Name = "atlassian-cloud",
        UserMatchAttribute = "userName",
        GroupMatchAttribute = "displayName",
        PageSize = 100,
        // No documented per-request limit. 100 matches the page size, keeps a PATCH body near 5 KB, and bounds what
        // one failed batch leaves undone; 35,000 members take 350 requests.
        MemberBatchSize = 100,
        MaxGroupMembers = 35_000,
        // Atlassian's own example uses lower-case "add" with a value array; removal in the same shape lets one
        // operation carry a whole batch.
        Patch = new ScimPatchStyle(ScimOperationCase.Lower, PathlessReplace: false, ScimMemberRemoval.ValueArray),
        DeleteIsIrreversible = true,
        SupportsGroupRename = false,
        RestrictsUsersToVerifiedDomains = true,
        ExcludesMembersOnGroupReads = false,
        // "409 User already exists", "409 A group with same name already exists" (atlassian-scim-api.md §5).
        RefusesDuplicateUsers = true,
        RefusesDuplicateGroups = true,
    };

    /// <summary>
    /// Any RFC 7644 service provider: RFC spelling, one operation per path, nothing restricted. Duplicates are not
    /// assumed to be refused: RFC 7643 asks for unique userNames, but not every server enforces it, and nothing asks
    /// for unique group names.
    /// </summary>
    public static readonly ScimTargetProfile GenericScim = new()
    {
        Name = "generic-scim",
        PageSize = 100,
        MemberBatchSize = 100,
        Patch = ScimPatchStyle.Rfc7644,
        DeleteIsIrreversible = false,
        SupportsGroupRename = true,
        RestrictsUsersToVerifiedDomains = false,
        ExcludesMembersOnGroupReads = true,
        RefusesDuplicateUsers = false,
        RefusesDuplicateGroups = false,
    };
}
