using System.CommandLine;
using System.Globalization;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using ScimSync.Cli.Output;
using ScimSync.Core.Cycle;
using ScimSync.Core.Logging;
using ScimSync.Core.State.Jobs;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary>
/// <c>scimsync sync</c>: one cycle per job, then the work queue drained in-process with the job's concurrency, with a
/// live progress bar and a summary of what was done.
/// </summary>
public static class SyncCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job();
        var command = new Command("sync", "Run one cycle (read changes, scope, guard, enqueue), then apply the work items in-process with a live progress bar. Exit 1 when the cycle aborted or items failed, 3 when the job is quarantined or holds deletions.")
        {
            job,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var exitCode = ExitCodes.Success;
            foreach (var selected in session.SelectJobs(parseResult.GetValue(job)))
            {
                session.Output.Write(new Rule($"[bold]{Markup.Escape(selected.Id.Value)}[/]").LeftJustified());
                var result = await SyncExecution.RunAsync(session, selected, cancellationToken);
                var entries = result.Report.CycleId is { } cycleId
                    ? await session.Get<ProvisioningLogService>().QueryAsync(new ProvisioningLogQuery(selected.Id) { CycleId = cycleId }, ProvisioningLogService.MaxEntries, cancellationToken)
                    : [];
                session.Output.Write(Summary(result, entries));
                var status = await session.Get<JobStatusService>().GetStatusAsync(selected.Id, cancellationToken);
                if (status.Status is JobStatus.Quarantined or JobStatus.DeletionsHeld)
                {
                    session.Output.MarkupLineInterpolated($"[red]{status.Status}[/]: {status.Summary}");
                    session.Output.MarkupLineInterpolated($"[bold]What to do:[/] {StatusCommand.WhatToDo(selected.Id.Value, status.Status)}");
                    exitCode = ExitCodes.NeedsAdmin;
                }
                else if (!result.Succeeded)
                {
                    if (result.Report.Status is CycleStatus.Completed or CycleStatus.CompletedWithHeldDeletions)
                    {
                        session.Output.MarkupLine("Some work items did not succeed: see [bold]scimsync logs --status Failure[/] and [bold]scimsync status[/].");
                    }

                    exitCode = exitCode == ExitCodes.Success ? ExitCodes.Failed : exitCode;
                }
            }

            return exitCode;
        });
        return command;
    }

    /// <summary>The cycle's log entries counted by kind, action and result, then the reads, items and time.</summary>
    public static Table Summary(SyncExecutionResult result, IReadOnlyList<ProvisioningLogEntry> entries)
    {
        var table = new Table().AddColumns("", "count");
        foreach (var group in entries
                     .GroupBy(entry => $"{entry.SourceIdentity.IdentityType} {entry.Action} ({entry.Status})")
                     .OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            table.AddRow(Markup.Escape(group.Key), Number(group.Count()));
        }

        if (entries.Count > 0)
        {
            table.AddEmptyRow();
        }

        var report = result.Report;
        var totals = result.Totals;
        table.AddRow($"objects read ({(report.FullRead ? "full" : "incremental")})", Number(report.UsersRead + report.GroupsRead));
        table.AddRow("work items enqueued", Number(report.Enqueued));
        table.AddRow("deprovisions held", Number(report.Staged));
        table.AddRow("items succeeded / skipped / failed", $"{Number(totals.Succeeded)} / {Number(totals.Skipped)} / {Number(totals.Failed)}");
        if (totals.RetryLater + totals.Unauthorized + totals.DeadLettered > 0)
        {
            table.AddRow("items to retry / refused / poison", $"{Number(totals.RetryLater)} / {Number(totals.Unauthorized)} / {Number(totals.DeadLettered)}");
        }

        table.AddRow("time", PlainTime.Duration(result.Elapsed));
        return table;
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
