using System.CommandLine;
using Azure;
using Microsoft.Extensions.Options;
using ScimSync.Core.Configuration;
using Spectre.Console;

namespace ScimSync.Cli.Hosting;

/// <summary>Runs a command's body in a <see cref="CliSession"/> and turns what can go wrong into exit codes.</summary>
public static class CommandActions
{
    public static void SetSessionAction(
        this Command command, CliEnvironment environment, Func<CliSession, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(environment, async token =>
        {
            var configuration = CliConfiguration.Build(
                parseResult.GetValue(GlobalOptions.Settings) ?? [], parseResult.GetValue(GlobalOptions.Jobs));
            await using var session = new CliSession(configuration, environment.Output, environment.Error);
            return await body(session, parseResult, token);
        }, cancellationToken));

    /// <summary>Runs <paramref name="body"/>; failures become a message on standard error and an exit code.</summary>
    public static async Task<int> RunAsync(
        CliEnvironment environment, Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var error = environment.Error;
        try
        {
            return await body(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.MarkupLine("[yellow]Cancelled.[/]");
            return ExitCodes.Cancelled;
        }
        catch (JobConfigurationException invalid)
        {
            error.MarkupLineInterpolated($"[red]The job file '{invalid.FileName}' is invalid:[/]");
            foreach (var problem in invalid.Errors)
            {
                WriteLine(error, "  " + problem);
            }

            return ExitCodes.UsageOrConfiguration;
        }
        catch (OptionsValidationException invalid)
        {
            error.MarkupLine("[red]A setting is missing or invalid:[/]");
            foreach (var problem in invalid.Failures)
            {
                WriteLine(error, "  " + problem);
            }

            error.MarkupLine("Put settings in a file passed with --settings, or in environment variables (see docs/operations.md).");
            return ExitCodes.UsageOrConfiguration;
        }
        catch (CliUsageException usage)
        {
            error.MarkupLineInterpolated($"[red]{usage.Message}[/]");
            return ExitCodes.UsageOrConfiguration;
        }
        catch (RequestFailedException storage)
        {
            error.MarkupLineInterpolated($"[red]Azure Storage refused the request ({storage.Status} {storage.ErrorCode}): {FirstLine(storage.Message)}[/]");
            return ExitCodes.Failed;
        }
        catch (Exception unreachable) when (unreachable is HttpRequestException or AggregateException { InnerException: HttpRequestException })
        {
            error.MarkupLineInterpolated($"[red]A service could not be reached: {FirstLine(unreachable.Message)}[/]");
            error.MarkupLine("Check the connection strings and URLs in your settings and job file, and that the service is running.");
            return ExitCodes.Failed;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            error.MarkupLineInterpolated($"[red]The operation failed: {failure.Message}[/]");
            error.MarkupLine("Run it again with the environment variable Logging__LogLevel__Default=Debug for details.");
            return ExitCodes.Failed;
        }
    }

    // Problems are printed unwrapped, one per line, so they can be read by scripts and searched for.
    private static void WriteLine(IAnsiConsole console, string text) => console.Profile.Out.Writer.WriteLine(text);

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
