using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Admin;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync restart</c>: resets parts of a job's state, as Entra's Restart provisioning does.</summary>
public static class RestartCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job("The job id (needed when the job file has several).");
        var scope = new Option<string[]>("--scope")
        {
            Description = "What to reset, comma-separated: Watermark (read everything again), Escrows (forget held failures), QuarantineState (lift the quarantine), Full (all of these, and match every object again). Default: Watermark,Escrows,QuarantineState, as Entra's Restart.",
            HelpName = "parts",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("restart", "Reset a job's watermark, escrows or quarantine so the next cycle starts afresh.") { job, scope };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var selected = session.SelectJob(parseResult.GetValue(job));
            var parts = ParseScope(parseResult.GetValue(scope) ?? []);
            await session.Get<JobControlService>().RestartAsync(selected.Id, parts, cancellationToken);
            session.Output.MarkupLineInterpolated($"Job '{selected.Id.Value}' restarted ({parts}). The next cycle starts from there.");
            return ExitCodes.Success;
        });
        return command;
    }

    public static RestartScope ParseScope(IEnumerable<string> values)
    {
        var names = values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (names.Count == 0)
        {
            return RestartScope.Default;
        }

        var scope = RestartScope.None;
        foreach (var name in names)
        {
            if (!Enum.TryParse<RestartScope>(name, ignoreCase: true, out var part) || part == RestartScope.None || name.All(char.IsDigit))
            {
                throw new CliUsageException($"--scope: '{name}' is not one of Watermark, Escrows, QuarantineState, Full.");
            }

            scope |= part;
        }

        return scope;
    }
}
