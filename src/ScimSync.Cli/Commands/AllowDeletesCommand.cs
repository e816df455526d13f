using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync allow-deletes</c>: releases the deprovisions the deletion guard held.</summary>
public static class AllowDeletesCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job("The job id (needed when the job file has several).");
        var command = new Command("allow-deletes", "Release the deprovisions held by the deletion guard (review them first with 'status'); the job returns to Active. Run 'sync' to apply them now.")
        {
            job,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var selected = session.SelectJob(parseResult.GetValue(job));
            var released = (await session.Get<JobControlService>().AllowDeletesAsync(selected.Id, cancellationToken)).Affected;
            session.Output.MarkupLineInterpolated(
                $"Released {released} held deprovision(s) of job '{selected.Id.Value}' to the work queue. 'scimsync sync --job {selected.Id.Value}' applies them now; 'run' or the Functions app applies them otherwise.");
            return ExitCodes.Success;
        });
        return command;
    }
}
