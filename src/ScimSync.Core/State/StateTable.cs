namespace ScimSync.Core.State;

/// <summary>The tables ScimSync keeps its state in; each is named with the configured prefix.</summary>
public enum StateTable
{
    Jobs,
    Watermarks,
    Objects,
    CreateClaims,
    Memberships,
    ProvisioningLogs,
    StagedActions,
    Progress,
    PoisonMessages,
}
