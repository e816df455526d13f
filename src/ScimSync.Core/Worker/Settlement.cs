using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;

namespace ScimSync.Core.Worker;

/// <summary>What became of one delivery of a work item.</summary>
public enum SettlementKind
{
    /// <summary>Reconciled: applied, nothing to do, skipped on purpose, or failed for a reason that needs fixing (escrowed).</summary>
    Completed,

    /// <summary>The object failed in a way that may pass; the item was sent again, delayed, with one more attempt counted.</summary>
    RetryScheduled,

    /// <summary>The target could not take requests (throttled, unavailable, circuit open); the item was sent again, delayed, without counting an attempt.</summary>
    JobWaiting,

    /// <summary>The target refused the job's credentials; the job is quarantined and the object stays pending for the cycle after it.</summary>
    Quarantined,

    /// <summary>The item used up its attempts, or cannot be read; it was recorded, and its object stays pending for later cycles.</summary>
    Poisoned,
}

/// <summary>
/// The decision for one delivery. Core has already done what the decision needs (re-sent a delayed retry as a new
/// message, recorded poison, quarantined the job); the host only acknowledges the delivery, or, when
/// <paramref name="Redeliver"/> is true (storage could not record anything), lets its transport deliver it again.
/// </summary>
/// <param name="Kind">What became of the delivery.</param>
/// <param name="Redeliver">True: abandon the delivery (Service Bus) or fail the function (Storage queue trigger) so the transport retries it.</param>
/// <param name="Reason">Why, in plain words, for anything but a plain completion.</param>
/// <param name="Item">The work item, when the message could be read.</param>
/// <param name="Result">What reconciling the item gave, when it was reconciled.</param>
/// <param name="Delay">For a resend: when the new message becomes visible.</param>
public sealed record Settlement(
    SettlementKind Kind, bool Redeliver, string? Reason, WorkItem? Item = null, WorkItemResult? Result = null, TimeSpan? Delay = null);
