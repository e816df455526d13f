namespace ScimSync.Core.Scim;

/// <summary>How a listing of one kind of the target's resources went (<see cref="TargetInventoryReader.ListAsync"/>).</summary>
/// <param name="Listed">True when every page was read and the paging could be trusted: each page started where asked and repeated nothing.</param>
/// <param name="Problem">Why the list could not be trusted, or what it got wrong although it was read (a <c>totalResults</c> that disagrees with what was listed); null when the target paged as RFC 7644 says.</param>
/// <param name="Requests">The requests the listing took.</param>
/// <param name="Count">The resources listed.</param>
/// <param name="TooLong">True when the listing stopped because it would have taken more pages than allowed (then <paramref name="Listed"/> is false).</param>
public sealed record TargetListing(bool Listed, string? Problem, int Requests, int Count, bool TooLong = false)
{
    /// <summary>True when the listing holds everything the target has of the kind, as far as a client can tell.</summary>
    public bool Complete => Listed && Problem is null;
}
