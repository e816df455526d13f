using System.Collections.Concurrent;
using System.Text;
using Azure;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Progress;

namespace ScimSync.Core.Worker;

/// <summary>
/// Settles one delivery of a work item for any host (the in-process worker, the Storage queue trigger, the Service Bus
/// trigger): reconciles it, then decides and does what follows. Success, skip and escrow complete. A failure of the
/// object is sent again as a new, delayed message that carries its attempt count, until the attempts are used up and
/// it is poison. A throttled or unavailable target is a job-level wait that counts no attempt. Refused credentials
/// quarantine the job. Whatever happens to the message, the object's pending change stays recorded in its state row
/// until a worker settles it, so a later cycle enqueues it again: no change lives only in a message.
/// </summary>
public sealed partial class WorkItemSettlement(
    IWorkItemProcessor processor,
    IWorkItemSender sender,
    ObjectStateStore objects,
    PoisonMessageStore poison,
    ProgressStore progress,
    JobHealth health,
    QuarantinePolicy quarantine,
    JobCatalog catalog,
    RedrivePolicy redrive,
    TimeProvider timeProvider,
    ILogger<WorkItemSettlement> logger)
{
    /// <summary>The poison store's name for messages recorded by the settlement (whatever queue they came from).</summary>
    public const string PoisonSource = "work-items";

    /// <summary>How often a job's running cycle is judged for dominating failures while items fail.</summary>
    private static readonly TimeSpan JudgeInterval = TimeSpan.FromSeconds(2);

    /// <summary>Resends of one item without an attempt counted (a long target outage) before it is left to the cycle's re-drive.</summary>
    private const int MaxWaitingResends = 30;

    private readonly ConcurrentDictionary<(JobId Job, string CycleId), (int Failures, DateTimeOffset JudgedAt)> _judged = new();

    /// <summary>Reads one delivery, then reconciles and settles each work item it carries, one after another.</summary>
    public async Task<MessageSettlement> SettleAsync(IncomingWorkMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settled = new List<Settlement>();
        foreach (var entry in WorkMessageSerializer.Read(Encoding.UTF8.GetBytes(message.Body)))
        {
            settled.Add(await SettleAsync(message with { Body = entry.Body }, entry.Content, cancellationToken));
        }

        return new MessageSettlement(settled);
    }

    /// <summary>Settles one work item of a delivery whose body the transport has already read.</summary>
    /// <param name="message">The delivery, with <see cref="IncomingWorkMessage.Body"/> the item's own JSON.</param>
    /// <param name="content">The item, or why it cannot be processed.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    internal async Task<Settlement> SettleAsync(IncomingWorkMessage message, WorkItemReadResult content, CancellationToken cancellationToken)
    {
        if (content is WorkItemReadResult.Poison unreadable)
        {
            var reason = $"{unreadable.Reason}: {unreadable.Detail}";
            return await RecordPoisonAsync(message, reason, cancellationToken)
                ? new Settlement(SettlementKind.Poisoned, false, reason)
                : new Settlement(SettlementKind.Poisoned, true, reason);
        }

        var item = ((WorkItemReadResult.Readable)content).Item;
        WorkItemOutcome outcome;
        try
        {
            outcome = await processor.ProcessAsync(item, new RetryChances(Tries(message, item) < redrive.MaxAttempts, item.Resends < MaxWaitingResends), cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Unexpected: retried like a failure of the object, so it cannot loop forever.
            LogProcessorThrew(logger, exception, item.Job, item.Kind, item.SourceId);
            outcome = new WorkItemOutcome(WorkItemResult.RetryLater, $"{exception.GetType().Name}: {exception.Message}");
        }

        try
        {
            if (WorkItemProcessor.ProgressOf(outcome.Result) is { } finished)
            {
                await progress.RecordAsync(item.Job, item.CycleId, item.Id, finished, cancellationToken);
            }

            return outcome.Result switch
            {
                WorkItemResult.Succeeded or WorkItemResult.Skipped => new Settlement(SettlementKind.Completed, false, outcome.Reason, item, outcome.Result),
                WorkItemResult.Failed => await FailedAsync(item, outcome, cancellationToken),
                WorkItemResult.TargetUnavailable => await WaitForTargetAsync(item, outcome, cancellationToken),
                WorkItemResult.RetryLater => await RetryAsync(message, item, outcome, cancellationToken),
                WorkItemResult.Unauthorized => await QuarantineAsync(item, outcome, cancellationToken),
                _ => throw new InvalidOperationException($"Unknown work item result {outcome.Result}."),
            };
        }
        catch (Exception exception) when (IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            // Nothing could be recorded or re-sent: the transport must deliver the message again.
            LogNotSettled(logger, exception, item.Job, item.Id);
            return new Settlement(SettlementKind.JobWaiting, true, $"The state storage or queue did not answer: {exception.Message}", item, outcome.Result);
        }
    }

    /// <summary>
    /// Records a message its transport gave up on (a host's poison-queue handler) where <c>status</c> shows it, an
    /// entry per work item it carries, and keeps their objects pending so a later cycle applies them. False when
    /// storage could not record it.
    /// </summary>
    public async Task<bool> RecordPoisonAsync(IncomingWorkMessage message, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        try
        {
            foreach (var entry in WorkMessageSerializer.Read(Encoding.UTF8.GetBytes(message.Body)))
            {
                await poison.RecordAsync(PoisonSource, message.MessageId, message.DeliveryCount, reason, entry.Body, cancellationToken);
                if (entry.Content is WorkItemReadResult.Readable { Item: var item } && catalog.Jobs.Any(job => job.Id == item.Job))
                {
                    await KeepPendingAsync(item, "PoisonMessage", reason, countsAgainstObject: false, poisoned: true, cancellationToken);
                }
            }

            LogPoison(logger, message.MessageId, reason);
            return true;
        }
        catch (Exception exception) when (IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            LogNotSettled(logger, exception, null, message.MessageId);
            return false;
        }
    }

    private async Task<Settlement> FailedAsync(WorkItem item, WorkItemOutcome outcome, CancellationToken cancellationToken)
    {
        // Escrowed by the processor; a cycle whose failures dominate is quarantined without waiting for its queue to drain.
        await JudgeRunningCycleAsync(item, cancellationToken);
        return new Settlement(SettlementKind.Completed, false, outcome.Reason, item, outcome.Result);
    }

    private async Task<Settlement> WaitForTargetAsync(WorkItem item, WorkItemOutcome outcome, CancellationToken cancellationToken)
    {
        var delay = outcome.RetryAfter ?? redrive.ResendDelay(item.Resends + 1);
        if (item.Resends >= MaxWaitingResends)
        {
            // The target has been unavailable for hours: stop re-sending; the object's pending change is re-driven by a cycle.
            await KeepPendingAsync(item, "TargetUnavailable", outcome.Reason, countsAgainstObject: false, poisoned: false, cancellationToken);
            return new Settlement(SettlementKind.JobWaiting, false, outcome.Reason, item, outcome.Result);
        }

        await sender.SendAsync([item.Resend(countsAgainstObject: false, outcome.Note)], delay, cancellationToken);
        return new Settlement(SettlementKind.JobWaiting, false, outcome.Reason, item, outcome.Result, delay);
    }

    private async Task<Settlement> RetryAsync(IncomingWorkMessage message, WorkItem item, WorkItemOutcome outcome, CancellationToken cancellationToken)
    {
        var tries = Tries(message, item);
        if (tries >= redrive.MaxAttempts)
        {
            var reason = $"Gave up after {tries} attempts: {outcome.Reason} The object stays pending; a later cycle tries it again.";
            await poison.RecordAsync(PoisonSource, item.MessageId, message.DeliveryCount, reason, message.Body, cancellationToken);
            await KeepPendingAsync(item, "AttemptsExhausted", reason, countsAgainstObject: true, poisoned: true, cancellationToken);
            await progress.RecordAsync(item.Job, item.CycleId, item.Id, ItemOutcome.Failed, cancellationToken);
            await JudgeRunningCycleAsync(item, cancellationToken);
            LogPoison(logger, item.MessageId, reason);
            return new Settlement(SettlementKind.Poisoned, false, reason, item, outcome.Result);
        }

        var delay = outcome.RetryAfter ?? redrive.ResendDelay(tries);
        await sender.SendAsync([item.Resend(countsAgainstObject: true, outcome.Note)], delay, cancellationToken);
        return new Settlement(SettlementKind.RetryScheduled, false, outcome.Reason, item, outcome.Result, delay);
    }

    /// <summary>This attempt's number among those that count against the object.</summary>
    /// <remarks>Deliveries beyond the first that never reached a settlement (a killed worker) count as attempts too.</remarks>
    private static int Tries(IncomingWorkMessage message, WorkItem item) => item.Attempt + 1 + (int)Math.Max(0, message.DeliveryCount - 1);

    private async Task<Settlement> QuarantineAsync(WorkItem item, WorkItemOutcome outcome, CancellationToken cancellationToken)
    {
        // The reason is the same for every refused item of the job, so concurrent workers agree on it and the job row
        // is written once; each item's own answer from the target is in its provisioning log.
        var job = catalog.Get(item.Job);
        var why = $"The SCIM target refused the job's credentials (401/403). Check the app setting '{job.Definition.Target.TokenSetting}' named by {job.SettingPath}.target.tokenSetting (the key may be wrong, expired or regenerated), then clear the quarantine or wait for the next attempt.";
        await health.QuarantineNowAsync(item.Job, why, cancellationToken);
        await KeepPendingAsync(item, "Quarantined", why, countsAgainstObject: false, poisoned: false, cancellationToken);
        return new Settlement(SettlementKind.Quarantined, false, why, item, outcome.Result);
    }

    /// <summary>Leaves the object's change pending, due at once: the next cycle that runs enqueues it again.</summary>
    private async Task KeepPendingAsync(WorkItem item, string code, string? reason, bool countsAgainstObject, bool poisoned, CancellationToken cancellationToken)
    {
        var kind = item.Operation == WorkOperation.MembershipChunk ? ObjectKind.Group : item.Kind;
        var now = timeProvider.GetUtcNow();
        var due = poisoned ? now + redrive.RedriveDelay(item.Generation) : now;
        await objects.RecordUnsettledAsync(
            item.Job, kind, item.SourceId, item.Operation, item.ChangeId,
            new ObjectError(code, reason ?? code, poisoned ? "Look at the object's provisioning log entries; run 'scimsync retry' once the cause is fixed, or wait for the next retry." : null, now),
            countsAgainstObject, poisoned, due, cancellationToken);
    }

    /// <summary>
    /// Judges the item's cycle from its stored progress, once this process alone has seen enough failures for them to
    /// dominate, and then at most every <see cref="JudgeInterval"/>, so a healthy drain never reads its progress.
    /// </summary>
    private async Task JudgeRunningCycleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var seen = _judged.AddOrUpdate((item.Job, item.CycleId), (1, DateTimeOffset.MinValue), (_, last) => (last.Failures + 1, last.JudgedAt));
        if (seen.Failures == 1)
        {
            // Only the latest cycle of a job is judged: forget the others.
            foreach (var earlier in _judged.Keys.Where(key => key.Job == item.Job && key.CycleId != item.CycleId))
            {
                _judged.TryRemove(earlier, out _);
            }
        }

        if (seen.Failures < quarantine.MinimumFailures || now - seen.JudgedAt < JudgeInterval)
        {
            return;
        }

        _judged[(item.Job, item.CycleId)] = (seen.Failures, now);
        await health.QuarantineIfFailuresDominateAsync(item.Job, item.CycleId, cancellationToken);
    }

    /// <summary>Storage or network trouble that passes by itself (the Azure SDKs have already retried it).</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or TimeoutException or IOException => true,
        TaskCanceledException => true,
        // What the Azure SDKs throw once their own retries are spent: one exception per try.
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job}: processing {Kind} {SourceId} threw; it will be retried")]
    private static partial void LogProcessorThrew(ILogger logger, Exception exception, JobId job, ObjectKind kind, SourceId sourceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} is poison and was recorded; its object stays pending: {Reason}")]
    private static partial void LogPoison(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: message {MessageId} could not be settled; it will be delivered again")]
    private static partial void LogNotSettled(ILogger logger, Exception exception, JobId? job, string messageId);
}
