using System.CommandLine;
using System.Text.Json;
using ScimSync.Cli.Hosting;
using ScimSync.Cli.Output;
using ScimSync.Core.Drift;
using ScimSync.Core.Scim;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary>
/// <c>scimsync audit</c>: a drift scan now. Reads the target's users and groups, compares them with what ScimSync
/// applied, and (with <c>policy.repairDrift</c>) makes each difference a change for the next cycle; <c>--plan</c> shows
/// what would be repaired and writes nothing.
/// </summary>
public static class AuditCommand
{
    private const int ListedFindings = 50;

    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job();
        var format = CommonOptions.Format();
        var plan = new Option<bool>("--plan") { Description = "Dry run: show what would be repaired; nothing is written to the state or the logs." };
        var command = new Command("audit", "Drift scan: compare what the target holds with what ScimSync applied (missing, (in)active, attributes, members) and repair it in the next cycle, or only report it when policy.repairDrift is off. Objects ScimSync never managed are reported, never changed.")
        {
            job, format, plan,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var reports = new List<DriftScanReport>();
            try
            {
                foreach (var selected in session.SelectJobs(parseResult.GetValue(job)))
                {
                    reports.Add(await session.Get<DriftScanService>().ScanAsync(selected.Id, parseResult.GetValue(plan), cancellationToken));
                }
            }
            catch (ScimException unreadable)
            {
                session.Output.MarkupLineInterpolated($"[red]The target could not be read:[/] {unreadable.Message}");
                return ExitCodes.Failed;
            }

            if (parseResult.GetValue(format) == OutputFormat.Json)
            {
                environment.WriteRaw(JsonSerializer.Serialize<IReadOnlyList<DriftScanReport>>(reports, CliJsonContext.Default.IReadOnlyListDriftScanReport));
            }
            else
            {
                foreach (var report in reports)
                {
                    Write(session.Output, report);
                }
            }

            // Differences only reported need an admin; repaired ones are the next cycle's.
            var reportedOnly = reports.Any(report => !report.Plan && !report.RepairEnabled && report.Counts.Findings > 0);
            return reportedOnly ? ExitCodes.NeedsAdmin : ExitCodes.Success;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, DriftScanReport report)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(report.Job.Value)}[/] {(report.Plan ? "audit plan" : "audit")}").LeftJustified());
        console.MarkupLineInterpolated($"{report.Message}");
        var findings = report.Findings.Where(finding => finding.Kind != DriftKind.ForeignObject).ToList();
        if (findings.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("kind", "object", "drift", "what", report.Plan ? "would" : "done");
        foreach (var finding in findings.Take(ListedFindings))
        {
            var name = finding.DisplayName is { } display ? $"{display} ({finding.SourceId?.Value ?? finding.TargetId?.Value})" : finding.SourceId?.Value ?? finding.TargetId?.Value ?? string.Empty;
            var done = !finding.Repairable ? "left alone" : !report.RepairEnabled ? "reported only" : report.Plan ? "be repaired" : "repair pending";
            table.AddRow(Markup.Escape(finding.ObjectKind.ToString()), Markup.Escape(name), Markup.Escape(finding.Kind.ToString()), Markup.Escape(finding.Description), Markup.Escape(done));
        }

        if (findings.Count > ListedFindings)
        {
            table.Caption = new TableTitle($"and {findings.Count - ListedFindings} more (use --format json for all)");
        }

        console.Write(table);
    }
}
