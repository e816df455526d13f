using System.CommandLine;
using Azure;
using Microsoft.Extensions.Options;
using ScimSync.Core.Configuration;
using Spectre.Console;

namespace ScimSync.Cli.Hosting;

/// <summary>Runs a command's body in a <see cref="CliSession"/> and turns what can go wrong into exit codes.</summary>
public static class CommandActions
{
    /// <param name="reloadSettings">Re-read the settings files when they change (for the long-lived <c>run</c>).</param>
    public static void SetSessionAction(
        this Command command, CliEnvironment environment, Func<CliSession, ParseResult, CancellationToken, Task<int>> body, bool reloadSettings = false) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(environment, async token =>
        {
            var configuration = CliConfiguration.Build(
                parseResult.GetValue(GlobalOptions.Settings) ?? [], parseResult.GetValue(GlobalOptions.Jobs), reloadSettings: reloadSettings);
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
            WriteLine(error, $"The job file '{invalid.FileName}' is invalid:");
            foreach (var problem in invalid.Errors)
            {
                WriteLine(error, "  " + problem);
            }

            return ExitCodes.UsageOrConfiguration;
        }
        catch (Exception invalid) when (SettingsFailures(invalid) is { Count: > 0 } failures)
        {
            WriteLine(error, "A setting is missing or invalid:");
            foreach (var problem in failures)
            {
                WriteLine(error, "  " + problem);
            }

            WriteLine(error, "Put settings in a file passed with --settings, or in environment variables (see docs/operations.md).");
            return ExitCodes.UsageOrConfiguration;
        }
        catch (CliUsageException usage)
        {
            WriteLine(error, usage.Message);
            return ExitCodes.UsageOrConfiguration;
        }
        catch (Exception unreachable) when (Unreachable(unreachable) is { } reason)
        {
            WriteLine(error, $"A service could not be reached: {reason}");
            WriteLine(error, "Check the connection strings and URLs in your settings and job file, and that the service is running.");
            return ExitCodes.Failed;
        }
        catch (RequestFailedException storage)
        {
            WriteLine(error, $"Azure Storage refused the request ({storage.Status} {storage.ErrorCode}): {FirstLine(storage.Message)}");
            return ExitCodes.Failed;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            WriteLine(error, $"The operation failed: {failure.Message}");
            WriteLine(error, "Run it again with the environment variable Logging__LogLevel__Default=Debug for details.");
            return ExitCodes.Failed;
        }
    }

    // Start-up validation reports every invalid options class at once, as an AggregateException.
    private static List<string> SettingsFailures(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException aggregate when aggregate.InnerExceptions.All(inner => inner is OptionsValidationException) =>
            [.. aggregate.InnerExceptions.SelectMany(inner => ((OptionsValidationException)inner).Failures)],
        _ => [],
    };

    // Connection failures surface as HttpRequestException, or as a RequestFailedException with status 0 (possibly
    // wrapped in the Azure SDK's AggregateException after its retries).
    private static string? Unreachable(Exception exception) => exception switch
    {
        HttpRequestException http => FirstLine(http.Message),
        RequestFailedException { Status: 0 } storage => FirstLine(storage.InnerException?.Message ?? storage.Message),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(inner => Unreachable(inner) is not null) =>
            Unreachable(aggregate.InnerExceptions[^1]),
        _ => null,
    };

    // Problems are printed unwrapped, one per line, so they can be read by scripts and searched for.
    private static void WriteLine(IAnsiConsole console, string text) => console.Profile.Out.Writer.WriteLine(text);

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
