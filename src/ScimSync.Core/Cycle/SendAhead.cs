using ScimSync.Core.Queueing;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Cycle;

/// <summary>
/// Sends work items a cycle planned while it is still reading, each object's pending change recorded before its
/// message exists, so that a large cycle need not hold every item until its plan is complete.
/// </summary>
internal delegate Task SendAhead(IReadOnlyList<WorkItem> items, IReadOnlyList<PendingRecord> pending, CancellationToken cancellationToken);
