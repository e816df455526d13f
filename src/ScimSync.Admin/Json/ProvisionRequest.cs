namespace ScimSync.Admin.Json;

/// <summary>The JSON body a script may send to provision one object on demand.</summary>
/// <param name="SourceId">The Entra object id of the user or group.</param>
/// <param name="Kind">User or Group; leave it out to look for a user first, then a group.</param>
public sealed record ProvisionRequest(string? SourceId, string? Kind);
