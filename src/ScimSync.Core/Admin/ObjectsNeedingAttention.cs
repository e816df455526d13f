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

    /// <summary>Pending changes older than the time a change normally needs: something keeps them from the target.</summary>
    public int Overdue { get; init; }

    /// <summary>Whether an admin should look: anything escrowed, poisoned, unapplied or overdue.</summary>
    public bool NeedsAdmin => Escrowed.Count + Poisoned.Count + Unapplied.Count + Overdue > 0;

    /// <summary>Whether nothing needs attention.</summary>
    public bool IsEmpty => Escrowed.Count + Poisoned.Count + Unapplied.Count + Pending.Count == 0;
}
