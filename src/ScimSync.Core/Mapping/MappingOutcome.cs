namespace ScimSync.Core.Mapping;

/// <summary>What one mapping did for one object.</summary>
public enum MappingOutcome
{
    /// <summary>The value is sent.</summary>
    Sent,

    /// <summary>The mapping yielded null on create and its default value is sent.</summary>
    DefaultApplied,

    /// <summary>The mapping yielded null and opts in to clearing the target attribute.</summary>
    Cleared,

    /// <summary>The mapping yielded null (or IgnoreFlowIfNullOrEmpty dropped it); the target attribute is left alone.</summary>
    NotSent,

    /// <summary>The mapping applies on create only and the object already exists.</summary>
    SkippedOnUpdate,

    /// <summary>The mapping failed for this object; the object is not provisioned.</summary>
    Failed,
}
