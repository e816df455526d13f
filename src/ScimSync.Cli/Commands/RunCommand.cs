using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Cycle;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Worker;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary>
/// <c>scimsync run</c>: every job continuously, like the Functions app: each job's cycle on its schedule and the
/// queue worked in-process, until Ctrl+C. Prints one line per cycle and per failed item.
/// </summary>
public static class RunCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var adminUrl = new Option<string?>("--admin-url")
        {
            Description = "Serve the admin API and status page on this loopback URL, e.g. http://127.0.0.1:7280 (default: the ScimSync:Admin:Url setting; none: not served). Needs ScimSync:Admin:Key.",
            HelpName = "url",
        };
        var command = new Command("run", "Run every job continuously, on its schedule, with queue workers in this process (like the Functions app) until Ctrl+C. Re-reads the settings files when they change.")
        {
            adminUrl,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var jobs = session.Jobs.Jobs;
            await using var admin = await AdminWebHost.StartIfEnabledAsync(session.Configuration, AdminUrl(parseResult.GetValue(adminUrl)), cancellationToken);
            var scheduler = admin is null ? session.Get<JobScheduler>() : admin.Services.GetRequiredService<JobScheduler>();
            var output = session.Output;
            output.MarkupLineInterpolated($"Running {jobs.Count} job(s): {string.Join(", ", jobs.Select(j => $"{j.Id.Value} every {Output.PlainTime.Duration(j.Definition.Policy.Interval)}"))}. Press Ctrl+C to stop.");
            if (admin is not null)
            {
                output.MarkupLineInterpolated($"Status page: {admin.PageAddress} (sign in with the admin key, ScimSync:Admin:Key).");
            }

            scheduler.CycleCompleted += (_, report) => output.MarkupLineInterpolated(
                $"{Now(session)} {report.Job.Value}: cycle {report.Status}. {report.Message}");
            var progress = new Reporter(update =>
            {
                if (update.Result is WorkItemResult.Failed or WorkItemResult.Unauthorized || update.Disposition == WorkerDisposition.DeadLettered)
                {
                    output.MarkupLineInterpolated(
                        $"{Now(session)} {update.Job?.Value ?? "?"}: {update.Item?.Kind} {update.Item?.SourceId.Value} {update.Result?.ToString() ?? update.Disposition.ToString()}: {update.Reason ?? string.Empty}");
                }
            });
            try
            {
                await scheduler.RunAsync(progress, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how 'run' is meant to stop.
            }

            output.MarkupLine("Stopped. Items in flight return to the queue and are picked up by the next run.");
            return ExitCodes.Success;
        }, reloadSettings: true);
        return command;
    }

    private static Uri? AdminUrl(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) ? url
        : throw new CliUsageException($"--admin-url: '{text}' is not an absolute URL such as http://127.0.0.1:7280.");

    private static string Now(CliSession session) =>
        session.Get<TimeProvider>().GetUtcNow().UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private sealed class Reporter(Action<WorkerProgressUpdate> report) : IProgress<WorkerProgressUpdate>
    {
        public void Report(WorkerProgressUpdate value) => report(value);
    }
}
