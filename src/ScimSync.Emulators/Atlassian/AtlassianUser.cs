namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// A stored SCIM user record as the emulator holds it, including records deleted (unlinked) through DELETE, which the
/// API no longer returns (atlassian-scim-api.md §6).
/// </summary>
/// <param name="Attributes">
/// The single-valued string attributes that are set, keyed by their full path: <c>externalId</c>, <c>displayName</c>,
/// <c>title</c>, <c>name.givenName</c>, <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department</c>, …
/// </param>
public sealed record AtlassianUser(
    string Id,
    string AtlassianAccountId,
    string UserName,
    bool Active,
    IReadOnlyList<AtlassianMultiValue> Emails,
    IReadOnlyList<AtlassianMultiValue> PhoneNumbers,
    IReadOnlyDictionary<string, string> Attributes,
    DateTimeOffset Created,
    DateTimeOffset LastModified,
    DateTimeOffset? Deleted)
{
    /// <summary>False when the record was created past the directory's user limit and is not synced (§12).</summary>
    public bool SyncedToOrganization { get; init; } = true;

    /// <summary>True when DELETE removed this record: the API answers 404 for its id.</summary>
    public bool IsDeleted => Deleted is not null;

    public string? ExternalId => Attribute("externalId");

    public string? DisplayName => Attribute("displayName");

    public string? PrimaryEmail => Emails.FirstOrDefault(email => email.Primary)?.Value;

    /// <summary>A single-valued attribute by its full path, or null when unset.</summary>
    public string? Attribute(string path) => Attributes.TryGetValue(path, out var value) ? value : null;
}
