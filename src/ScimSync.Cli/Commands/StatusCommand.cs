using System.CommandLine;
using System.Text.Json;
using ScimSync.Cli.Hosting;
using ScimSync.Cli.Output;
using ScimSync.Core.Admin;
using ScimSync.Core.State.Jobs;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary>
/// <c>scimsync status</c>: each job's state in plain words, its last cycle and progress, held deletions and escrows.
/// Exit code 3 when a job needs an admin (quarantined or holding deletions).
/// </summary>
public static class StatusCommand
{
    private const int ListedObjects = 10;

    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job();
        var format = CommonOptions.Format();
        var command = new Command("status", "Show each job's state, quarantine reason and next attempt, last cycle, progress, held deletions and escrows. Exit code 3 when a job needs an admin.")
        {
            job, format,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var jobs = session.SelectJobs(parseResult.GetValue(job));
            var status = session.Get<JobStatusService>();
            var queued = await status.GetQueuedMessagesAsync(cancellationToken);
            var views = new List<JobStatusView>();
            foreach (var provisioningJob in jobs)
            {
                var report = await status.GetStatusAsync(provisioningJob.Id, cancellationToken);
                views.Add(JobStatusView.From(report, WhatToDo(provisioningJob.Id.Value, report.Status), queued));
            }

            if (parseResult.GetValue(format) == OutputFormat.Json)
            {
                environment.WriteRaw(JsonSerializer.Serialize<IReadOnlyList<JobStatusView>>(views, CliJsonContext.Default.IReadOnlyListJobStatusView));
            }
            else
            {
                var now = session.Get<TimeProvider>().GetUtcNow();
                foreach (var view in views)
                {
                    Write(session.Output, view, now);
                }
            }

            return views.Any(view => view.NeedsAdmin) ? ExitCodes.NeedsAdmin : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The commands that get a job going again, for a job that is not simply active.</summary>
    public static string? WhatToDo(string job, JobStatus status) => status switch
    {
        JobStatus.Paused => $"Run 'scimsync resume --job {job}' to start its cycles again.",
        JobStatus.Quarantined => $"Fix the cause (the token setting, the target URL, the failing mappings), then run 'scimsync restart --job {job} --scope QuarantineState' to lift the quarantine now, or wait for the next attempt.",
        JobStatus.DeletionsHeld => $"Review the held deletions below. If they are right, run 'scimsync allow-deletes --job {job}'; if not, run 'scimsync dismiss-deletes --job {job}' (and fix the source read if it was wrong, then 'scimsync restart --job {job} --scope Watermark').",
        _ => null,
    };

    public static void Write(IAnsiConsole console, JobStatusView view, DateTimeOffset now)
    {
        var colour = view.Status switch
        {
            JobStatus.Active => "green",
            JobStatus.Paused => "yellow",
            _ => "red",
        };
        console.Write(new Rule($"[bold]{Markup.Escape(view.Job)}[/]{(view.DisplayName is { } name ? " " + Markup.Escape(name) : string.Empty)}").LeftJustified());
        console.MarkupLine(view.Summary.StartsWith(view.Status.ToString(), StringComparison.Ordinal)
            ? $"[{colour}]{Markup.Escape(view.Summary)}[/]"
            : $"[{colour}]{view.Status}[/]: {Markup.Escape(view.Summary)}");
        if (view.WhatToDo is { } whatToDo)
        {
            console.MarkupLineInterpolated($"[bold]What to do:[/] {whatToDo}");
        }

        var facts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        if (view.LastCycle is { } cycle)
        {
            var ended = cycle.CompletedAt is { } completed ? PlainTime.At(completed, now) : "still running";
            facts.AddRow("Last cycle", Markup.Escape(
                $"{cycle.Outcome} ({(cycle.FullRead ? "full read" : "incremental")}), started {PlainTime.At(cycle.StartedAt, now)}, ended {ended}"));
            facts.AddRow(string.Empty, Markup.Escape(
                $"{cycle.ObjectsRead} objects read, {cycle.ItemsEnqueued} work items enqueued, {cycle.DeprovisionsStaged} deprovisions staged"));
            if (cycle.Detail is { Length: > 0 } detail)
            {
                facts.AddRow(string.Empty, Markup.Escape(detail));
            }
        }

        if (view.Progress is { } progress)
        {
            facts.AddRow("Progress", Markup.Escape(
                $"{progress.Finished} of {progress.Enqueued} items finished ({progress.Done} done, {progress.Failed} failed, {progress.Skipped} skipped), {progress.Remaining} remaining"));
        }

        var counters = view.Counters;
        facts.AddRow("Totals", Markup.Escape(
            $"{counters.CyclesCompleted} cycle(s) completed" +
            (counters.ConsecutiveFailedCycles > 0 ? $"; {counters.ConsecutiveFailedCycles} failed cycle(s) in a row" : string.Empty)));
        if (view.QueuedMessages >= 0)
        {
            facts.AddRow("Queue", $"about {view.QueuedMessages} message(s) waiting (all jobs)");
        }

        facts.AddRow("Held deletions", view.StagedDeletions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        facts.AddRow("Escrows", view.Escrows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        facts.AddRow("Not applied yet", Markup.Escape(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{view.Pending.Count} pending, {view.Poisoned.Count} poisoned, {view.Unapplied.Count} not kept by the target")));
        facts.AddRow("Drift", view.Drift.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " difference(s) found by the last drift scan");
        facts.AddRow("Members not provisioned", view.NotProvisionedMembers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " member(s) their groups completed without");
        console.Write(facts);

        if (view.StagedDeletions.Count > 0)
        {
            console.Write(HeldTable("Held deletions", view.StagedDeletions, now));
        }

        if (view.Escrows.Count > 0)
        {
            console.Write(HeldTable("Escrows (retried in later cycles)", view.Escrows, now));
        }

        if (view.Poisoned.Count > 0)
        {
            console.Write(HeldTable("Poisoned: attempts used up, still pending (scimsync retry sends them now)", view.Poisoned, now));
        }

        if (view.Unapplied.Count > 0)
        {
            console.Write(HeldTable("Not kept by the target (sent again by later cycles)", view.Unapplied, now));
        }

        if (view.Pending.Count > 0)
        {
            console.Write(HeldTable("Pending changes", view.Pending, now));
        }

        if (view.Drift.Count > 0)
        {
            console.Write(HeldTable("Drift: the target differs from what ScimSync applied (scimsync audit scans again)", view.Drift, now));
        }

        if (view.NotProvisionedMembers.Count > 0)
        {
            console.Write(HeldTable("Members not provisioned: their groups get them once their own cause is fixed", view.NotProvisionedMembers, now));
        }

        console.WriteLine();
    }

    private static Table HeldTable(string title, IReadOnlyList<HeldObjectView> objects, DateTimeOffset now)
    {
        var table = new Table { Title = new TableTitle(title) }.AddColumns("kind", "object", "what", "reason", "since", "next retry");
        foreach (var held in objects.Take(ListedObjects))
        {
            table.AddRow(
                Markup.Escape(held.Kind),
                Markup.Escape(held.DisplayName is { } name ? $"{name} ({held.SourceId})" : held.SourceId),
                Markup.Escape(held.What),
                Markup.Escape(held.Reason),
                held.Since is { } since ? Markup.Escape(PlainTime.At(since, now)) : string.Empty,
                held.NextRetryAt is { } next ? Markup.Escape(PlainTime.At(next, now)) : string.Empty);
        }

        if (objects.Count > ListedObjects)
        {
            table.Caption = new TableTitle($"and {objects.Count - ListedObjects} more (use --format json for all)");
        }

        return table;
    }
}
