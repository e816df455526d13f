namespace ScimSync.Core.State;

/// <summary>The tables ScimSync keeps its state in; each is named with the configured prefix.</summary>
public enum StateTable
{
    Jobs,
    Watermarks,
    Objects,
    Memberships,
    ProvisioningLogs,
    StagedActions,
    Progress,
    PoisonMessages,

    /// <summary>The source's direct group memberships as last read, so incremental cycles can scope by group.</summary>
    SourceMemberships,

    /// <summary>The app role assignments as last read, so the next cycle can tell who was (un)assigned.</summary>
    Assignments,
}
