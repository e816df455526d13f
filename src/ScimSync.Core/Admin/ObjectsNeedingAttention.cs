namespace ScimSync.Core.Admin;

/// <summary>The objects of a job that are not (yet) in the target as the source wants them.</summary>
public sealed record ObjectsNeedingAttention
{
    /// <summary>Objects whose last attempt failed for good; later cycles try them again.</summary>
    public IReadOnlyList<HeldObject> Escrowed { get; init; } = [];

    /// <summary>Whether nothing needs attention.</summary>
    public bool IsEmpty => Escrowed.Count == 0;
}
