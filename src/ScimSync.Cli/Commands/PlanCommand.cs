using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScimSync.Cli.Hosting;
using ScimSync.Cli.Output;
using ScimSync.Core.Admin;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary>
/// <c>scimsync plan</c>: a dry run. The cycle reads and scopes without enqueuing or saving anything, and each item it
/// would enqueue is planned against the target with reads only: what would be created, updated, disabled or deleted.
/// </summary>
public static class PlanCommand
{
    private const int ListedChanges = 50;

    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job();
        var format = CommonOptions.Format();
        var all = new Option<bool>("--all") { Description = "List every change and unchanged objects too (by default the first 50 changes)." };
        var command = new Command("plan", "Dry run: show what a cycle would create, update, disable or delete, and what the deletion guard would hold. Nothing is written to the target or the state.")
        {
            job, format, all,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var plans = new List<JobPlanView>();
            foreach (var selected in session.SelectJobs(parseResult.GetValue(job)))
            {
                plans.Add(await PlanAsync(session, selected, cancellationToken));
            }

            if (parseResult.GetValue(format) == OutputFormat.Json)
            {
                environment.WriteRaw(JsonSerializer.Serialize<IReadOnlyList<JobPlanView>>(plans, CliJsonContext.Default.IReadOnlyListJobPlanView));
            }
            else
            {
                foreach (var plan in plans)
                {
                    Write(session.Output, plan, parseResult.GetValue(all));
                }
            }

            return plans.Any(plan => plan.CycleStatus is CycleStatus.Aborted or CycleStatus.Failed) ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<JobPlanView> PlanAsync(CliSession session, ProvisioningJob job, CancellationToken cancellationToken)
    {
        var plan = await session.Get<PlanService>().PlanAsync(job.Id, cancellationToken);
        return new JobPlanView(
            plan.Job.Value, plan.CycleStatus, plan.Message, plan.FullRead, plan.UsersRead, plan.GroupsRead,
            [.. plan.Changes.Select(PlannedChangeView.From)], [.. plan.Held.Select(PlannedChangeView.From)]);
    }

    private static void Write(IAnsiConsole console, JobPlanView plan, bool all)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(plan.Job)}[/] plan").LeftJustified());
        console.MarkupLineInterpolated($"{plan.CycleStatus}: {plan.Message}");
        var summary = new Table().AddColumns("kind", "would", "objects");
        foreach (var group in plan.Changes.GroupBy(c => (c.Kind, Label(c))).OrderBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal))
        {
            summary.AddRow(group.Key.Kind, Markup.Escape(group.Key.Item2), group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (plan.Held.Count > 0)
        {
            summary.AddRow("any", "be held by the deletion guard", plan.Held.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(summary);
        var details = new Table().AddColumns("kind", "object", "would", "why / changes");
        // Skips and held deletions first: they are what an admin reviews; a first plan's creates can run to thousands.
        var listed = plan.Held.Concat(plan.Changes.Where(c => c.ErrorCode is not null && c.ErrorCode != "EntrySynchronizationSkipped"))
            .Concat(plan.Changes.Where(c => c.WouldWrite && c.ErrorCode is null))
            .Concat(all ? plan.Changes.Where(c => !c.WouldWrite && c.ErrorCode is null or "EntrySynchronizationSkipped") : [])
            .ToList();
        foreach (var change in listed.Take(all ? int.MaxValue : ListedChanges))
        {
            details.AddRow(
                change.Kind,
                Markup.Escape(change.DisplayName is { } name ? $"{name} ({change.SourceId})" : change.SourceId),
                Markup.Escape(Label(change)),
                Markup.Escape(Changes(change)));
        }

        if (listed.Count > ListedChanges && !all)
        {
            details.Caption = new TableTitle($"and {listed.Count - ListedChanges} more: --all lists every change, --format json prints them for scripts");
        }

        if (details.Rows.Count > 0)
        {
            console.Write(details);
        }

        console.WriteLine();
    }

    private static string Label(PlannedChangeView change) => change switch
    {
        { Action: ProvisioningAction.StagedDelete } => "be held by the deletion guard",
        { WouldWrite: false, ErrorCode: { } code } => $"skip ({code})",
        { WouldWrite: false } => "change nothing",
        { Operation: WorkOperation.MembershipChunk } => "update members",
        _ => change.Action.ToString().ToLowerInvariant(),
    };

    private static string Changes(PlannedChangeView change) =>
        change.ModifiedProperties.Count == 0
            ? change.Reason
            : string.Join("; ", change.ModifiedProperties.Take(6).Select(p => $"{p.DisplayName}: {p.OldValue ?? "-"} -> {p.NewValue ?? "-"}"))
              + (change.ModifiedProperties.Count > 6 ? $"; +{change.ModifiedProperties.Count - 6} more" : string.Empty);
}

/// <summary>What <c>plan</c> shows for one job.</summary>
public sealed record JobPlanView(
    string Job, CycleStatus CycleStatus, string Message, bool FullRead, int UsersRead, int GroupsRead,
    IReadOnlyList<PlannedChangeView> Changes, IReadOnlyList<PlannedChangeView> Held);

/// <summary>What one work item would do.</summary>
public sealed record PlannedChangeView(
    string Kind, string SourceId, string? DisplayName, WorkOperation Operation, ProvisioningAction Action, bool WouldWrite,
    string Reason, string? ErrorCode, string? TargetId,
    [property: JsonPropertyName("modifiedProperties")] IReadOnlyList<ModifiedProperty> ModifiedProperties)
{
    public static PlannedChangeView From(PlannedObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new PlannedChangeView(
            change.Kind.ToString(), change.SourceId.Value, change.DisplayName, change.Operation, change.Action, change.WouldWrite,
            change.Reason, change.ErrorCode, change.TargetId?.Value, change.ModifiedProperties);
    }
}
