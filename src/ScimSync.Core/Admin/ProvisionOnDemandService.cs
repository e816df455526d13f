using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Scoping;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Admin;

/// <summary>
/// Provisions one user or group now (Entra's "provision on demand"): reads only that object from Graph (by id, its
/// groups, and a group's members), decides its scope with the job's rules and the current assignments, and
/// reconciles it at once through the same <see cref="IWorkItemProcessor"/> the queue uses. No delta round, no read
/// of the whole tenant: a user costs three Graph requests, a group five (plus one per 999 members or assignments).
/// </summary>
public sealed partial class ProvisionOnDemandService(
    JobCatalog catalog,
    JobDirectoryClients directories,
    JobStateStore jobStates,
    ObjectStateStore objects,
    MembershipStore memberships,
    IWorkItemProcessor processor,
    ProvisioningLogService logs,
    TimeProvider timeProvider,
    ILogger<ProvisionOnDemandService> logger)
{
    /// <summary>Provisions <paramref name="sourceId"/> in <paramref name="jobId"/> now and reports each step.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="sourceId">The Entra object id of a user or group.</param>
    /// <param name="kind">User or group when known; null looks for a user first, then a group.</param>
    /// <param name="cancellationToken">Cancels the reads and the reconciliation.</param>
    /// <exception cref="KeyNotFoundException">The job is not in the job file.</exception>
    public async Task<OnDemandProvisioning> ProvisionAsync(
        JobId jobId, SourceId sourceId, ObjectKind? kind = null, CancellationToken cancellationToken = default)
    {
        var job = catalog.Get(jobId);
        var now = timeProvider.GetUtcNow();
        var cycleId = string.Create(CultureInfo.InvariantCulture, $"ondemand-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
        var directory = directories.For(job);
        LogOnDemand(logger, jobId, sourceId);

        var source = await ReadAsync(directory.Directory, job, sourceId, kind, cancellationToken);
        var decision = source is null
            ? await RemovedAsync(job, sourceId, kind, cancellationToken)
            : await ScopeAsync(directory, job, source, cancellationToken);
        if (decision is null)
        {
            return Outcome(job, sourceId, kind, null, OnDemandResult.NotFound, "Not read.",
                $"There is no user or group '{sourceId}' in the directory, and job '{jobId}' never provisioned one.");
        }

        var name = source?.GetString("displayName");
        var policy = job.Definition.Policy;
        if (decision.Kind == ObjectKind.Group && !policy.ProvisionGroups)
        {
            return Outcome(job, sourceId, decision.Kind, name, OnDemandResult.NotInScope, decision.Explanation,
                $"Job '{jobId}' provisions users only (policy.provisionGroups is false).");
        }

        var known = await objects.GetAsync(jobId, decision.Kind, sourceId, cancellationToken);
        var items = new List<WorkItem>();
        IReadOnlyList<SourceId> waiting = [];
        if (decision.Action == ScopeAction.Upsert)
        {
            items.Add(WorkItem.Upsert(jobId, cycleId, decision.Source!, now));
        }
        else if (known is null || policy.Deprovision == DeprovisionMode.None)
        {
            return Outcome(job, sourceId, decision.Kind, name, OnDemandResult.NotInScope, decision.Explanation, known is null
                ? $"{decision.Kind} {sourceId} is not in the scope of job '{jobId}' and was never provisioned by it: nothing to do."
                : $"{decision.Kind} {sourceId} is out of scope, and job '{jobId}' leaves objects that leave scope alone (policy.deprovision none).");
        }
        else
        {
            var state = (await jobStates.GetAsync(jobId, cancellationToken))?.Value;
            if (CycleGuards.MustStageDeprovisions(1, policy.DeletionThreshold, state?.Status == JobStatus.DeletionsHeld))
            {
                return Outcome(job, sourceId, decision.Kind, name, OnDemandResult.Held, decision.Explanation,
                    $"{decision.Kind} {sourceId} would be deprovisioned, but the deletion guard holds deprovisions for approval (threshold {policy.DeletionThreshold}, or earlier ones are still held). Nothing was done.");
            }

            items.Add(decision.Action == ScopeAction.Delete && policy.Deprovision == DeprovisionMode.DeleteWhenHardDeleted
                ? WorkItem.Delete(jobId, cycleId, decision.Kind, sourceId, now)
                : WorkItem.Deprovision(jobId, cycleId, decision.Kind, sourceId, decision.Source, now));
        }

        var steps = new List<OnDemandStep>();
        var first = await processor.ProcessAsync(items[0], cancellationToken);
        steps.Add(new OnDemandStep(items[0].Operation, first.Result, first.Reason));
        if (decision is { Kind: ObjectKind.Group, Action: ScopeAction.Upsert } && job.Mappings.Groups.ProvisionsMembers
            && first.Result is WorkItemResult.Succeeded or WorkItemResult.Skipped)
        {
            var (chunks, notProvisioned) = await PlanMembersAsync(job, cycleId, sourceId, directory.Directory, now, cancellationToken);
            waiting = notProvisioned;
            foreach (var chunk in chunks)
            {
                var outcome = await processor.ProcessAsync(chunk, cancellationToken);
                steps.Add(new OnDemandStep(chunk.Operation, outcome.Result, outcome.Reason));
            }
        }

        var entries = await logs.QueryAsync(
            new ProvisioningLogQuery(jobId) { CycleId = cycleId, From = now.AddMinutes(-1) }, 100, cancellationToken);
        var result = steps.Any(step => step.Result == WorkItemResult.Unauthorized) ? OnDemandResult.Unauthorized
            : steps.All(step => step.Result is WorkItemResult.Succeeded or WorkItemResult.Skipped) ? OnDemandResult.Succeeded
            : OnDemandResult.Failed;
        var message = result switch
        {
            OnDemandResult.Succeeded => $"{decision.Kind} {sourceId} was reconciled with the target in {steps.Count} step(s).",
            OnDemandResult.Unauthorized => "The target refused the job's credentials; fix the token setting, then try again.",
            _ => "A step did not succeed; the provisioning log entries say why. The next cycle tries again.",
        };
        if (waiting.Count > 0)
        {
            message += $" {waiting.Count} member(s) are not provisioned yet; the next cycle adds them to the group.";
        }

        return new OnDemandProvisioning(jobId, sourceId, decision.Kind, name, result, decision.Explanation, message, steps,
            [.. entries.OrderBy(entry => entry.ActivityDateTime)], waiting);
    }

    /// <summary>The object by id: one Graph request per kind tried.</summary>
    private static async Task<SourceObject?> ReadAsync(
        GraphDirectoryReader directory, ProvisioningJob job, SourceId id, ObjectKind? kind, CancellationToken cancellationToken)
    {
        foreach (var candidate in kind is { } only ? [only] : (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            await foreach (var found in directory.GetObjectsAsync(candidate, [id], CyclePlanner.Attributes(job, candidate), cancellationToken))
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>An object the directory no longer has: deleted in Entra ID if the job knows it, unknown otherwise.</summary>
    private async Task<ScopeDecision?> RemovedAsync(ProvisioningJob job, SourceId id, ObjectKind? kind, CancellationToken cancellationToken)
    {
        foreach (var candidate in kind is { } only ? [only] : (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            if (await objects.GetAsync(job.Id, candidate, id, cancellationToken) is not null)
            {
                return ScopeEvaluator.ForRemoval(new ObjectSoftDeleted(id, candidate));
            }
        }

        return null;
    }

    /// <summary>
    /// The object's scope with the job's own rules, from what Graph says now: the service principal's assignments,
    /// the groups the object belongs to and, for a group, its members.
    /// </summary>
    private static async Task<ScopeDecision> ScopeAsync(JobDirectory directory, ProvisioningJob job, SourceObject source, CancellationToken cancellationToken)
    {
        var scope = job.Definition.Scope;
        var assignments = scope.Mode == ScopeMode.Assigned
            ? await directory.Assignments.ReadAsync(scope.ServicePrincipalId!, cancellationToken)
            : AssignmentSnapshot.Empty;
        var graph = new InMemoryMembershipGraph();
        if (scope.Mode != ScopeMode.All)
        {
            // Flattening makes every enclosing group count, so the transitive groups stand in as direct parents.
            foreach (var group in await directory.Directory.GetGroupsOfAsync(source.Kind, source.Id, scope.FlattenNestedGroups, cancellationToken))
            {
                graph.Apply(new MembershipAdded(group, source.Id, source.Kind));
            }
        }

        return await new ScopeEvaluator(scope, graph, $"{job.SettingPath}.scope").EvaluateAsync(source, assignments, cancellationToken);
    }

    /// <summary>
    /// The group's members as Graph lists them now (every nested user when flattening), against the edges the job has
    /// applied: provisioned users missing from the group are added, applied members no longer in it removed. Users not
    /// provisioned yet are left to the next cycle, which provisions them before their memberships.
    /// </summary>
    private async Task<(IReadOnlyList<WorkItem> Chunks, IReadOnlyList<SourceId> NotProvisioned)> PlanMembersAsync(
        ProvisioningJob job, string cycleId, SourceId group, GraphDirectoryReader directory, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var members = (await directory.GetMembersAsync(group, job.Definition.Scope.FlattenNestedGroups, cancellationToken))
            .Where(member => member.Kind == ObjectKind.User).Select(member => member.Id).ToHashSet();
        var stored = new Dictionary<SourceId, MembershipEdge>();
        await foreach (var edge in memberships.ListAsync(job.Id, group, cancellationToken))
        {
            stored[edge.Member] = edge;
        }

        var wanted = new List<SourceId>();
        var notProvisioned = new List<SourceId>();
        foreach (var member in members)
        {
            var state = await objects.GetAsync(job.Id, ObjectKind.User, member, cancellationToken);
            (state?.Value is { TargetId: not null, Status: ObjectStatus.Provisioned } ? wanted : notProvisioned).Add(member);
        }

        var desired = wanted.Where(id => !(stored.GetValueOrDefault(id)?.Desired ?? false)).Select(id => new DesiredEdge(id, ObjectKind.User, true))
            .Concat(stored.Values.Where(edge => edge.Desired && !members.Contains(edge.Member)).Select(edge => new DesiredEdge(edge.Member, edge.MemberKind, false)))
            .ToList();
        if (desired.Count > 0)
        {
            await memberships.SetDesiredAsync(job.Id, group, desired, cancellationToken);
        }

        var add = wanted.Where(id => !(stored.GetValueOrDefault(id)?.Applied ?? false)).Select(id => new MemberReference(id, ObjectKind.User));
        var remove = stored.Values.Where(edge => edge.Applied && !members.Contains(edge.Member)).Select(edge => new MemberReference(edge.Member, edge.MemberKind));
        return (MembershipChunkSplitter.Split(job.Id, cycleId, group, add, remove, now), notProvisioned);
    }

    private static OnDemandProvisioning Outcome(
        ProvisioningJob job, SourceId id, ObjectKind? kind, string? name, OnDemandResult result, string scope, string message) =>
        new(job.Id, id, kind, name, result, scope, message, [], [], []);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: provisioning {SourceId} on demand")]
    private static partial void LogOnDemand(ILogger logger, JobId job, SourceId sourceId);
}
