namespace ScimSync.Core.Configuration;

/// <summary>What a job does in the target when an object leaves scope, is disabled or is deleted in the source.</summary>
public enum DeprovisionMode
{
    /// <summary>Set <c>active=false</c> (Entra's default). Hard-deleted source objects are disabled too.</summary>
    Disable,

    /// <summary>Disable objects that leave scope; DELETE objects hard-deleted in the source (irreversible in Atlassian).</summary>
    DeleteWhenHardDeleted,

    /// <summary>Never deprovision: Entra's SkipOutOfScopeDeletions. Objects that leave scope are left as they are.</summary>
    None,
}
