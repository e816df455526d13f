using ScimSync.Core.Configuration;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Reconciliation;

/// <summary>The work item being reconciled, its job, the job's SCIM client and what has been done so far.</summary>
internal sealed record ReconciliationContext(ProvisioningJob Job, WorkItem Item, ScimClient Client, ReconciliationRecord Record)
{
    /// <summary>The object as the log names it: <c>User 'alice@contoso.com'</c>.</summary>
    public string Describe() => Record.SourceDisplayName is { } name ? $"{Item.Kind} '{name}'" : $"{Item.Kind} {Item.SourceId}";
}
