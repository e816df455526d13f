using ScimSync.Cli;
using Spectre.Console;

namespace ScimSync.IntegrationTests.Cli;

/// <summary>Runs <c>scimsync</c> in-process and captures what it prints, as a user would see it in a wide terminal.</summary>
public sealed record CliRun(int ExitCode, string Output)
{
    public static async Task<CliRun> InvokeAsync(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 250;
        var exitCode = await ScimSyncCli.InvokeAsync(args, console);
        return new CliRun(exitCode, writer.ToString());
    }
}
