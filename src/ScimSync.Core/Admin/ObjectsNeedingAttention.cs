namespace ScimSync.Core.Admin;

/// <summary>The objects of a job that are not (yet) in the target as the source wants them.</summary>
public sealed record ObjectsNeedingAttention
{
    /// <summary>Objects whose last attempt failed for good; later cycles try them again.</summary>
    public IReadOnlyList<HeldObject> Escrowed { get; init; } = [];

    /// <summary>Objects whose work item used up its attempts; their change stays pending and later cycles try it again.</summary>
    public IReadOnlyList<HeldObject> Poisoned { get; init; } = [];

    /// <summary>Changes the target acknowledged but did not keep; later cycles send them again.</summary>
    public IReadOnlyList<HeldObject> Unapplied { get; init; } = [];

    /// <summary>Other changes not applied yet (in flight, waiting for a throttled target or a quarantine to end).</summary>
    public IReadOnlyList<HeldObject> Pending { get; init; } = [];

    /// <summary>
    /// Differences the last drift scan found between the target and what ScimSync applied: repaired ones are pending for
    /// the next cycle; the others were only reported (policy.repairDrift is off) or came back after a repair.
    /// </summary>
    public IReadOnlyList<HeldObject> Drift { get; init; } = [];

    /// <summary>Of <see cref="Drift"/>, those an admin must look at: reported only, or found again by consecutive scans.</summary>
    public int DriftNeedingAdmin { get; init; }

    /// <summary>
    /// Members their groups completed without because they are not provisioned for a reason of their own (skipped,
    /// escrowed, poisoned); each joins its groups once it is provisioned.
    /// </summary>
    public IReadOnlyList<HeldObject> NotProvisionedMembers { get; init; } = [];

    /// <summary>Of <see cref="NotProvisionedMembers"/>, those still waited for after a later cycle: the cause needs an admin.</summary>
    public int NotProvisionedNeedingAdmin { get; init; }

    /// <summary>Pending changes older than the time a change normally needs: something keeps them from the target.</summary>
    public int Overdue { get; init; }

    /// <summary>
    /// Whether an admin should look: anything escrowed, poisoned, unapplied or overdue, drift that persists, or members
    /// still not provisioned after a later cycle.
    /// </summary>
    public bool NeedsAdmin => Escrowed.Count + Poisoned.Count + Unapplied.Count + Overdue + DriftNeedingAdmin + NotProvisionedNeedingAdmin > 0;

    /// <summary>Whether nothing needs attention.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>How many objects need attention, of every kind.</summary>
    public int Count => Escrowed.Count + Poisoned.Count + Unapplied.Count + Pending.Count + Drift.Count + NotProvisionedMembers.Count;
}
