namespace ScimSync.Emulators.Atlassian;

/// <summary>What a group rename (a new <c>displayName</c> on PATCH or PUT) does. Atlassian documents only that renames
/// are "not supported" (atlassian-scim-api.md §8), not what the API answers, so each plausible answer is offered.</summary>
public enum GroupRenameBehaviour
{
    /// <summary>400 <c>mutability</c>; the group keeps its name.</summary>
    Refused,

    /// <summary>200 with the group under its old name: the new name is dropped without a word.</summary>
    Ignored,

    /// <summary>200 and the group takes the new name.</summary>
    Applied,
}

/// <summary>How userNames compare and are stored. Atlassian says only that it "will verify the value and guarantee its
/// uniqueness" (§4), so each plausible rule is offered.</summary>
public enum UserNameCaseRule
{
    /// <summary>Stored as sent; unique and filtered without regard to case (RFC 7643: <c>caseExact=false</c>).</summary>
    CaseInsensitive,

    /// <summary>Stored in lower case (as email addresses usually are); unique and filtered without regard to case.</summary>
    Lowercased,

    /// <summary>Stored as sent; unique and filtered case-exactly, so <c>Ann@x</c> and <c>ann@x</c> are two users.</summary>
    CaseSensitive,
}

/// <summary>What happens to a user on a domain the organization has not verified (§7).</summary>
public enum ExternalUserRule
{
    /// <summary>Since Nov 2020: created and synced as an external user; changing its email unlinks its account (ACCESS-1396).</summary>
    Allowed,

    /// <summary>The older rule: "a user account can only be created if it has an email address on a verified domain"; 400.</summary>
    Refused,
}

/// <summary>What a new user past the directory's user limit gets (§12: "we stop syncing new users after 150,000").</summary>
public enum DirectoryFullBehaviour
{
    /// <summary>201 as usual, but the user is not synced to the organization (the reading of §12 this emulator follows by default).</summary>
    AcceptedNotSynced,

    /// <summary>400 <c>invalidValue</c> naming the limit (an assumption: no source gives the answer).</summary>
    Refused,
}

/// <summary>How the enterprise extension's <c>department</c> and <c>organization</c> take writes. Atlassian's schema marks
/// them read-only (§4), yet Entra's gallery integration writes them; what the API does is not documented.</summary>
public enum EnterpriseExtensionMode
{
    /// <summary>Stored like any attribute (what Entra's gallery integration relies on).</summary>
    Stored,

    /// <summary>Read-only as the schema says: dropped from POST/PUT bodies and PATCH without a word.</summary>
    ReadOnlyIgnored,

    /// <summary>Read-only as RFC 7644 §3.5.2 answers it: dropped from POST/PUT bodies, PATCH is 400 <c>mutability</c>.</summary>
    ReadOnlyRefused,
}
