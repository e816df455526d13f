using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync pause</c>: stops a job's cycles; its state and watermark are kept.</summary>
public static class PauseCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job("The job id (needed when the job file has several).");
        var reason = new Option<string?>("--reason") { Description = "Why, shown on the status page.", HelpName = "text" };
        var command = new Command("pause", "Stop a job's cycles until 'resume'; nothing is lost.") { job, reason };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var selected = session.SelectJob(parseResult.GetValue(job));
            var paused = await session.Get<JobControlService>().PauseAsync(selected.Id, parseResult.GetValue(reason), cancellationToken);
            session.Output.MarkupLineInterpolated($"Job '{selected.Id.Value}' is {paused.Status}. Run 'scimsync resume --job {selected.Id.Value}' to start its cycles again.");
            return ExitCodes.Success;
        });
        return command;
    }
}
