using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync retry</c>: makes every object whose change has not reached the target due again now.</summary>
public static class RetryCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job("The job id (needed when the job file has several).");
        var command = new Command("retry", "Retry now every pending, poisoned, not-kept or escrowed object of a job: the next cycle sends each again with its current attributes.")
        {
            job,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var selected = session.SelectJob(parseResult.GetValue(job));
            var retried = await session.Get<JobControlService>().RetryAsync(selected.Id, cancellationToken);
            session.Output.MarkupLineInterpolated($"{retried.Message}");
            return ExitCodes.Success;
        });
        return command;
    }
}
