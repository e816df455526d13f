using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scim;

/// <summary>What a drift scan read of one kind in the target.</summary>
/// <param name="Kind">User or group.</param>
/// <param name="Resources">Every resource read, by target id.</param>
/// <param name="Missing">Known target ids the target answered 404 for when read by id.</param>
/// <param name="Listed">True when the whole list was read with trustworthy paging, so objects ScimSync does not know can be reported; false when only the known objects were read by id.</param>
/// <param name="PagingProblem">Why the list could not be trusted (the scan then read every known object by id), or what the list got wrong that reading by id made up for; null when the target paged as RFC 7644 says.</param>
/// <param name="Requests">The requests the read took.</param>
public sealed record TargetInventory(
    ObjectKind Kind,
    IReadOnlyDictionary<TargetId, ScimResource> Resources,
    IReadOnlySet<TargetId> Missing,
    bool Listed,
    string? PagingProblem,
    int Requests);
