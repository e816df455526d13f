using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using ScimSync.Core.Cycle;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary>
/// <c>scimsync provision</c>: provisions one user or group now (Entra's "provision on demand"). A dry-run cycle reads
/// the directory and decides scope without writing anything; the work items it would enqueue for this object are
/// then reconciled at once, and each step is printed from the provisioning log entries they wrote.
/// </summary>
public static class ProvisionCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var id = new Argument<string>("user-or-group-id") { Description = "The Entra object id of the user or group." };
        var job = CommonOptions.Job("The job id (needed when the job file has several).");
        var command = new Command("provision", "Provision one user or group now, and show each step: scope, matching, the change sent, and why anything was skipped or failed.")
        {
            id, job,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var selected = session.SelectJob(parseResult.GetValue(job));
            var sourceId = new SourceId(parseResult.GetRequiredValue(id).Trim());
            session.Output.MarkupLineInterpolated($"Reading the directory to decide the scope of {sourceId.Value} in job '{selected.Id.Value}'...");
            var plan = await session.Get<SyncCycleRunner>().RunAsync(selected.Id, new CycleOptions(DryRun: true, ForceFull: true), cancellationToken);
            if (plan.Status is not CycleStatus.Planned)
            {
                session.Output.MarkupLineInterpolated($"[red]{plan.Status}[/]: {plan.Message}");
                return plan.Status is CycleStatus.Skipped ? ExitCodes.NeedsAdmin : ExitCodes.Failed;
            }

            var items = plan.PlannedItems.Where(item => item.SourceId == sourceId)
                .OrderBy(item => item.Operation == WorkOperation.MembershipChunk ? 1 : 0)
                .ThenBy(item => item.Membership?.ChunkNumber ?? 0)
                .ToList();
            if (plan.StagedActions.FirstOrDefault(action => action.SourceId == sourceId) is { } held)
            {
                session.Output.MarkupLineInterpolated(
                    $"[yellow]Held[/]: {held.Kind} {sourceId.Value} would be deprovisioned ({held.Reason}), but the deletion guard holds it with the cycle's other deprovisions. Review them with 'scimsync plan' and allow them with 'scimsync allow-deletes'.");
                return ExitCodes.NeedsAdmin;
            }

            if (items.Count == 0)
            {
                session.Output.MarkupLineInterpolated(
                    $"[yellow]Nothing to do[/]: {sourceId.Value} is not in the scope of job '{selected.Id.Value}' and was never provisioned by it (or the id is not a user or group of the directory).");
                return ExitCodes.Failed;
            }

            var processor = session.Get<IWorkItemProcessor>();
            var outcomes = new List<WorkItemOutcome>();
            foreach (var item in items)
            {
                outcomes.Add(await processor.ProcessAsync(item, cancellationToken));
            }

            var entries = await session.Get<ProvisioningLogService>().QueryAsync(
                new ProvisioningLogQuery(selected.Id) { SourceId = sourceId.Value, CycleId = plan.CycleId }, 100, cancellationToken);
            foreach (var entry in entries.OrderBy(entry => entry.ActivityDateTime))
            {
                Write(session.Output, entry);
            }

            return outcomes.Any(outcome => outcome.Result == WorkItemResult.Unauthorized) ? ExitCodes.NeedsAdmin
                : outcomes.All(outcome => outcome.Result is WorkItemResult.Succeeded or WorkItemResult.Skipped) ? ExitCodes.Success
                : ExitCodes.Failed;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, ProvisioningLogEntry entry)
    {
        var source = entry.SourceIdentity;
        console.Write(new Rule(Markup.Escape($"{source.IdentityType} {source.DisplayName ?? source.Id}: {entry.Action} {entry.Status}")).LeftJustified());
        var steps = new Table().AddColumns("#", "step", "result", "what happened");
        var number = 1;
        foreach (var step in entry.Steps)
        {
            steps.AddRow(
                (number++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(step.Type.ToString()),
                Markup.Escape(step.Status.ToString()),
                Markup.Escape(step.Description));
        }

        console.Write(steps);
        if (entry.ModifiedProperties.Count > 0)
        {
            var changes = new Table().AddColumns("attribute", "old", "new");
            foreach (var property in entry.ModifiedProperties)
            {
                changes.AddRow(Markup.Escape(property.DisplayName), Markup.Escape(property.OldValue ?? ""), Markup.Escape(property.NewValue ?? ""));
            }

            console.Write(changes);
        }

        if (entry.Error is { } error)
        {
            console.MarkupLineInterpolated($"[bold]{error.ErrorCode}[/]: {error.Reason}");
            if (error.RecommendedAction is { } action)
            {
                console.MarkupLineInterpolated($"[bold]What to do:[/] {action}");
            }
        }
    }
}
