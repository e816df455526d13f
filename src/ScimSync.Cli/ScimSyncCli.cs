using System.CommandLine;
using ScimSync.Cli.Commands;
using ScimSync.Cli.Hosting;
using Spectre.Console;

namespace ScimSync.Cli;

/// <summary>The <c>scimsync</c> command tree and its entry point.</summary>
public static class ScimSyncCli
{
    public static RootCommand CreateRootCommand(CliEnvironment environment)
    {
        var root = new RootCommand(
            "scimsync: provisions users and groups from Microsoft Entra ID into SCIM apps (Atlassian Cloud first), " +
            "without the Azure Functions host." + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText)
        {
            GlobalOptions.Jobs,
            GlobalOptions.Settings,
            SyncCommand.Create(environment),
            RunCommand.Create(environment),
            PlanCommand.Create(environment),
            ProvisionCommand.Create(environment),
            StatusCommand.Create(environment),
            LogsCommand.Create(environment),
            RestartCommand.Create(environment),
            AllowDeletesCommand.Create(environment),
            DismissDeletesCommand.Create(environment),
            RetryCommand.Create(environment),
            AuditCommand.Create(environment),
            PauseCommand.Create(environment),
            ResumeCommand.Create(environment),
            ValidateCommand.Create(environment),
            TestConnectionCommand.Create(environment),
            EmulateCommand.Create(environment),
            DemoCommand.Create(environment),
        };
        return root;
    }

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command. Returns the exit code (see <see cref="ExitCodes"/>):
    /// a parse error (unknown command or option, missing argument) is a usage error, 2.
    /// </summary>
    public static async Task<int> InvokeAsync(
        IReadOnlyList<string> args, IAnsiConsole output, IAnsiConsole? error = null, CancellationToken cancellationToken = default)
    {
        var environment = new CliEnvironment(output, error ?? output);
        var parseResult = CreateRootCommand(environment).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var problem in parseResult.Errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]{problem.Message}[/]");
            }

            environment.Error.MarkupLine("Run 'scimsync --help' for the commands and options.");
            return ExitCodes.UsageOrConfiguration;
        }

        return await parseResult.InvokeAsync(
            new InvocationConfiguration { Output = output.Profile.Out.Writer, Error = environment.Error.Profile.Out.Writer },
            cancellationToken);
    }
}
