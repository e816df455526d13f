namespace ScimSync.Core.Mapping;

/// <summary>Why a mapping could not produce a value for an object, in words for the provisioning log.</summary>
public sealed record MappingFailure(string Target, string Source, string Reason)
{
    public override string ToString() => $"mapping to '{Target}' from {Source} failed: {Reason}";
}
