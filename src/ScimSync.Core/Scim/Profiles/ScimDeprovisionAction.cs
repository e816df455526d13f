namespace ScimSync.Core.Scim.Profiles;

/// <summary>What deprovisioning a user does in the target.</summary>
public enum ScimDeprovisionAction
{
    /// <summary>PATCH <c>active</c> to false; reversible.</summary>
    Disable,

    /// <summary>DELETE the resource.</summary>
    Delete,
}
