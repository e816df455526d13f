using ScimSync.Core.Directory;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// What one complete listing of the target held, per kind it listed: the match attribute and every value of it
/// (compared without case). <see cref="TargetUsers"/> is how many users the listing found; null when users were not listed.
/// </summary>
internal sealed record TargetMatchValues(IReadOnlyDictionary<ObjectKind, (string Attribute, HashSet<string> Present)> Listed, int? TargetUsers)
{
    public static TargetMatchValues None { get; } = new(new Dictionary<ObjectKind, (string, HashSet<string>)>(), null);
}
