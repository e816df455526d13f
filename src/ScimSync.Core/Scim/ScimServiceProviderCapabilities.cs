namespace ScimSync.Core.Scim;

/// <summary>
/// What a target said about itself through /ServiceProviderConfig, /ResourceTypes and /Schemas, reduced to what
/// changes the client's behaviour: no PATCH means full PUT replaces, no filter means listing and matching
/// client-side, <c>filter.maxResults</c> caps the page size, a missing Groups resource type stops group calls early.
/// </summary>
public sealed record ScimServiceProviderCapabilities(
    bool PatchSupported,
    bool FilterSupported,
    int? MaxResults,
    IReadOnlySet<string>? ResourceEndpoints,
    IReadOnlySet<string>? SchemaIds)
{
    /// <summary>What the client assumes before (or without) discovery: an RFC 7644 target with PATCH and filters.</summary>
    public static readonly ScimServiceProviderCapabilities Assumed = new(true, true, null, null, null);

    /// <summary>True unless discovery showed the target has no resource type at <paramref name="endpoint"/> (e.g. <c>Groups</c>).</summary>
    public bool Offers(string endpoint) =>
        ResourceEndpoints is null || ResourceEndpoints.Contains(endpoint);
}
