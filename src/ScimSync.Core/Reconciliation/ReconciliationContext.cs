using ScimSync.Core.Configuration;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.State;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Reconciliation;

/// <summary>The work item being reconciled, its job, the job's SCIM client and what has been done so far.</summary>
internal sealed record ReconciliationContext(ProvisioningJob Job, WorkItem Item, ScimClient Client, ReconciliationRecord Record)
{
    /// <summary>
    /// The object's row as the cycle inserted it (<see cref="WorkItem.InsertedRow"/>), to start from instead of reading
    /// it; null once the item is decided again after a conflicting write.
    /// </summary>
    public Versioned<ObjectState>? InsertedRow { get; init; }

    /// <summary>The object as the log names it: <c>User 'alice@contoso.com'</c>.</summary>
    public string Describe() => Describe(Item, Record.SourceDisplayName);

    /// <summary>The name the log gives an item's object: its display name (or userPrincipalName) when it has one.</summary>
    public static string Describe(WorkItem item, string? name) => name is not null ? $"{item.Kind} '{name}'" : $"{item.Kind} {item.SourceId}";

    /// <summary>The name a source object is known by in the log.</summary>
    public static string? NameOf(WorkItem item) => item.Snapshot?.GetString("displayName") ?? item.Snapshot?.GetString("userPrincipalName");
}
