namespace ScimSync.Core.Identity;

/// <summary>The id of a provisioning job, as declared in the job file.</summary>
public readonly record struct JobId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>The id of an object in the source directory (an Entra object id).</summary>
public readonly record struct SourceId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>The id the SCIM target assigned to a resource.</summary>
public readonly record struct TargetId(string Value)
{
    public override string ToString() => Value;
}
