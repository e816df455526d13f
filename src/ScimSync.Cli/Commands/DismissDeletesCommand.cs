using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync dismiss-deletes</c>: drops the deprovisions the deletion guard held, without applying them.</summary>
public static class DismissDeletesCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job("The job id (needed when the job file has several).");
        var command = new Command("dismiss-deletes", "Drop the deprovisions held by the deletion guard without applying them; the job returns to Active. Nothing changes in the target.")
        {
            job,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var selected = session.SelectJob(parseResult.GetValue(job));
            var dismissed = await session.Get<JobControlService>().DismissHeldDeletesAsync(selected.Id, cancellationToken);
            session.Output.MarkupLineInterpolated(
                $"Dismissed {dismissed.Affected} held deprovision(s) of job '{selected.Id.Value}'; nothing was changed in the target. A later cycle that still finds them out of scope deprovisions or holds them again.");
            return ExitCodes.Success;
        });
        return command;
    }
}
