using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync validate</c>: checks the job file and prints every problem with its setting path.</summary>
public static class ValidateCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("validate", "Check the job file: every problem is printed with its setting path (exit code 2).");
        command.SetSessionAction(environment, (session, _, _) =>
        {
            var file = session.Configuration[ScimSyncCoreServiceCollectionExtensions.JobsFileSetting];
            var jobs = session.Jobs.Jobs;
            var table = new Table().AddColumns("job", "target", "profile", "scope", "token setting");
            foreach (var job in jobs)
            {
                var definition = job.Definition;
                var tokenSetting = definition.Target.TokenSetting ?? string.Empty;
                var tokenState = string.IsNullOrEmpty(session.Configuration[tokenSetting]) ? "[yellow](not set here)[/]" : "[green](set)[/]";
                table.AddRow(
                    Markup.Escape(job.Id.Value),
                    Markup.Escape(definition.Target.BaseUrl?.ToString() ?? string.Empty),
                    Markup.Escape(job.Profile.Name),
                    Markup.Escape(definition.Scope.Mode.ToString()),
                    $"{Markup.Escape(tokenSetting)} {tokenState}");
            }

            session.Output.MarkupLineInterpolated($"[green]The job file '{file}' is valid:[/] {jobs.Count} job(s).");
            session.Output.Write(table);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
