using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary>
/// <c>scimsync provision</c>: provisions one user or group now (Entra's "provision on demand") through Core's
/// <see cref="ProvisionOnDemandService"/>, which reads only that object from the directory; each step is printed from
/// the provisioning log entries it wrote.
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
            session.Output.MarkupLineInterpolated($"Reading {sourceId.Value} from the directory to decide its scope in job '{selected.Id.Value}'...");
            var done = await session.Get<ProvisionOnDemandService>().ProvisionAsync(selected.Id, sourceId, cancellationToken: cancellationToken);
            session.Output.MarkupLineInterpolated($"[bold]Scope[/]: {done.Scope}");
            foreach (var entry in done.LogEntries)
            {
                Write(session.Output, entry);
            }

            var colour = done.Result switch
            {
                OnDemandResult.Succeeded => "green",
                OnDemandResult.NotInScope or OnDemandResult.Held => "yellow",
                _ => "red",
            };
            session.Output.MarkupLineInterpolated($"[{colour}]{done.Result}[/]: {done.Message}");
            return done.Result switch
            {
                OnDemandResult.Succeeded => ExitCodes.Success,
                OnDemandResult.Unauthorized or OnDemandResult.Held => ExitCodes.NeedsAdmin,
                _ => ExitCodes.Failed,
            };
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
