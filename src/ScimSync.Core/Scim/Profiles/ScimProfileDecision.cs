namespace ScimSync.Core.Scim.Profiles;

/// <summary>
/// Whether a change may be sent to the target under its profile. A skipped change carries an Entra-style reason code
/// (e.g. <c>InvalidDomain</c>) and a sentence for the provisioning log.
/// </summary>
public sealed record ScimProfileDecision(bool Proceed, string? ReasonCode, string? Reason)
{
    public const string InvalidDomain = "InvalidDomain";
    public const string GroupRenameNotSupported = "GroupRenameNotSupported";
    public const string GroupMemberLimitExceeded = "GroupMemberLimitExceeded";

    public static readonly ScimProfileDecision Send = new(true, null, null);

    public static ScimProfileDecision Skip(string reasonCode, string reason) => new(false, reasonCode, reason);
}
