using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using ScimSync.Core.State.Jobs;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync resume</c>: starts a paused job's cycles again.</summary>
public static class ResumeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job("The job id (needed when the job file has several).");
        var command = new Command("resume", "Start a paused job's cycles again.") { job };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var selected = session.SelectJob(parseResult.GetValue(job));
            var resumed = await session.Get<JobControlService>().ResumeAsync(selected.Id, cancellationToken);
            session.Output.MarkupLineInterpolated($"Job '{selected.Id.Value}' is {resumed.Status}.");
            return resumed.Status is JobStatus.Quarantined or JobStatus.DeletionsHeld ? ExitCodes.NeedsAdmin : ExitCodes.Success;
        });
        return command;
    }
}
