using ScimSync.Core.Identity;
using ScimSync.Core.Logging;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// What reconciling one work item did, gathered as it goes and written once as the provisioning log entry: the steps
/// (import, scoping, matching, processing, export), the action, the modified properties and any warning.
/// </summary>
internal sealed class ReconciliationRecord
{
    private readonly List<ProvisioningStep> _steps = [];
    private readonly List<string> _warnings = [];

    public ProvisioningAction Action { get; set; } = ProvisioningAction.Other;

    public IReadOnlyList<ProvisioningStep> Steps => _steps;

    public IReadOnlyList<ModifiedProperty> ModifiedProperties { get; set; } = [];

    public IReadOnlyList<string> Warnings => _warnings;

    public TargetId? TargetId { get; set; }

    public string? TargetDisplayName { get; set; }

    public string? SourceDisplayName { get; set; }

    /// <summary>
    /// True when the target acknowledged the change but did not keep all of it (its answer said so): the change stays
    /// pending and a later cycle sends it again.
    /// </summary>
    public bool Unapplied { get; private set; }

    /// <summary>For a membership item: true when the group has no member left to add or remove except those the target refused.</summary>
    public bool MembersSettled { get; set; }

    /// <summary>True when the write that saved the object's state also settled the change the item applies: nothing is left to settle.</summary>
    public bool ChangeSettled { get; set; }

    /// <summary>The object's row as this attempt last read or wrote it, so settling it needs no read of its own (a changed row is read again).</summary>
    public State.Versioned<State.Objects.ObjectState>? Row { get; set; }

    /// <summary>Records that the target did not keep what it was sent (see <see cref="Unapplied"/>).</summary>
    public void NotKept(ProvisioningStepType type, string warning)
    {
        Unapplied = true;
        Warn(type, "AttributeNotKept", warning);
    }

    /// <summary>Set when the item is deliberately not applied; the entry's status is then skipped.</summary>
    public (string Code, string Reason, string? RecommendedAction)? Skip { get; private set; }

    public void Step(ProvisioningStepType type, ProvisioningStatus status, string name, string description, IReadOnlyDictionary<string, string>? details = null) =>
        _steps.Add(new ProvisioningStep(type, status, name, description, details));

    /// <summary>Something went through but not as asked: the entry's status becomes warning.</summary>
    public void Warn(ProvisioningStepType type, string name, string warning)
    {
        _warnings.Add(warning);
        Step(type, ProvisioningStatus.Warning, name, warning);
    }

    public void Skipped(ProvisioningStepType type, string code, string reason, string? recommendedAction = null)
    {
        Skip = (code, reason, recommendedAction);
        Step(type, ProvisioningStatus.Skipped, code, reason);
    }

    /// <summary>
    /// Starts a new attempt after the state changed underneath: the decision (action, skip, changes) is made anew,
    /// while the earlier attempt's steps stay in the record, so a write it already made remains visible.
    /// </summary>
    public void Restart(string why)
    {
        _warnings.Clear();
        Skip = null;
        Action = ProvisioningAction.Other;
        ModifiedProperties = [];
        ChangeSettled = false;
        Row = null;
        Step(ProvisioningStepType.Import, ProvisioningStatus.Warning, "Retried", why);
    }
}
