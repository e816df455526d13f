using ScimSync.Core.Identity;
using ScimSync.Core.Logging;

namespace ScimSync.Core.Reconciliation;

/// <summary>What processing a work item would do.</summary>
/// <param name="Action">The action it would take; <see cref="ProvisioningAction.Other"/> when it would change nothing.</param>
/// <param name="WouldWrite">True when it would send anything to the target.</param>
/// <param name="Reason">Why, in plain words.</param>
/// <param name="ModifiedProperties">The attributes it would change, old -> new (redacted values hidden).</param>
/// <param name="TargetId">The target object concerned, when known.</param>
/// <param name="ErrorCode">The error it would end with (e.g. <c>DuplicateTargetEntries</c>), or the reason code of a skip.</param>
public sealed record PlannedChange(
    ProvisioningAction Action,
    bool WouldWrite,
    string Reason,
    IReadOnlyList<ModifiedProperty> ModifiedProperties,
    TargetId? TargetId = null,
    string? ErrorCode = null)
{
    /// <summary>Nothing would be sent.</summary>
    public static PlannedChange Nothing(string reason, string? code = null, TargetId? targetId = null) =>
        new(ProvisioningAction.Other, false, reason, [], targetId, code);
}
