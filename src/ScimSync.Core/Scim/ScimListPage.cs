namespace ScimSync.Core.Scim;

/// <summary>One page of a SCIM list response as the target answered it.</summary>
/// <param name="Resources">The resources on the page.</param>
/// <param name="TotalResults">The total the target claimed for the whole list.</param>
/// <param name="StartIndex">The start index the target said the page begins at, when it said one.</param>
public sealed record ScimListPage(IReadOnlyList<ScimResource> Resources, int TotalResults, int? StartIndex);
