namespace ScimSync.Emulators.Atlassian;

/// <summary>The mutable user record behind the API. Changes are made on a copy and committed only when valid.</summary>
internal sealed class UserResource
{
    public required string Id { get; init; }

    public required string AccountId { get; set; }

    public string UserName { get; set; } = string.Empty;

    public bool Active { get; set; } = true;

    public List<AtlassianMultiValue> Emails { get; private init; } = [];

    public List<AtlassianMultiValue> PhoneNumbers { get; private init; } = [];

    /// <summary>Single-valued string attributes keyed by canonical path (see <see cref="UserAttributes"/>).</summary>
    public Dictionary<string, string> Attributes { get; private init; } = new(StringComparer.Ordinal);

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset LastModified { get; set; }

    public DateTimeOffset? Deleted { get; set; }

    /// <summary>False for a user created past the directory's user limit (§12).</summary>
    public bool SyncedToOrganization { get; set; } = true;

    public string? DisplayName => Attributes.GetValueOrDefault("displayName");

    public UserResource Clone() => new()
    {
        Id = Id,
        AccountId = AccountId,
        UserName = UserName,
        Active = Active,
        Emails = [.. Emails],
        PhoneNumbers = [.. PhoneNumbers],
        Attributes = new Dictionary<string, string>(Attributes, StringComparer.Ordinal),
        Created = Created,
        LastModified = LastModified,
        Deleted = Deleted,
        SyncedToOrganization = SyncedToOrganization,
    };

    public AtlassianUser ToSnapshot() => new(
        Id, AccountId, UserName, Active, [.. Emails], [.. PhoneNumbers],
        new Dictionary<string, string>(Attributes, StringComparer.Ordinal), Created, LastModified, Deleted)
    {
        SyncedToOrganization = SyncedToOrganization,
    };
}
