using ScimSync.Cli;
using Spectre.Console;

var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
return await ScimSyncCli.InvokeAsync(args, AnsiConsole.Console, error);
