namespace ScimSync.Core.Queueing;

/// <summary>
/// A matching value the target did not hold when the cycle that enqueued the item listed it: the attribute (the
/// profile's match attribute, e.g. <c>userName</c>) and the value the item's object maps to.
/// </summary>
public sealed record AbsentMatch(string Attribute, string Value);
