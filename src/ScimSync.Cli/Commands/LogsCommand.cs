using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScimSync.Cli.Hosting;
using ScimSync.Cli.Output;
using ScimSync.Core.Admin;
using ScimSync.Core.Logging;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync logs</c>: provisioning log entries, newest first, filtered like Entra's provisioning logs.</summary>
public static partial class LogsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job();
        var status = new Option<ProvisioningStatus?>("--status") { Description = "Success, Failure, Skipped or Warning." };
        var action = new Option<ProvisioningAction?>("--action") { Description = "Create, Update, Disable, Delete, StagedDelete or Other." };
        var sourceId = new Option<string?>("--source-id") { Description = "The Entra object id of a user or group.", HelpName = "id" };
        var targetId = new Option<string?>("--target-id") { Description = "The SCIM id in the target.", HelpName = "id" };
        var cycle = new Option<string?>("--cycle") { Description = "Only entries of this cycle id.", HelpName = "id" };
        var since = new Option<string?>("--since") { Description = "Earliest time: an ISO 8601 time, or an age such as 30m, 2h, 7d (default: the retention period).", HelpName = "time" };
        var until = new Option<string?>("--until") { Description = "Latest time, same forms (default: now).", HelpName = "time" };
        var top = new Option<int>("--top") { Description = "The most entries to print.", DefaultValueFactory = _ => 50 };
        var format = CommonOptions.Format();
        var command = new Command("logs", "Show provisioning log entries, newest first: what was done to each object, each step, and why it failed or was skipped.")
        {
            job, status, action, sourceId, targetId, cycle, since, until, top, format,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var limit = parseResult.GetValue(top);
            if (limit < 1)
            {
                throw new CliUsageException($"--top: use 1 or more (got {limit}).");
            }

            var now = session.Get<TimeProvider>().GetUtcNow();
            var selected = session.SelectJob(parseResult.GetValue(job));
            var query = new ProvisioningLogQuery(selected.Id)
            {
                Status = parseResult.GetValue(status),
                Action = parseResult.GetValue(action),
                SourceId = parseResult.GetValue(sourceId),
                TargetId = parseResult.GetValue(targetId),
                CycleId = parseResult.GetValue(cycle),
                From = ParseTime("--since", parseResult.GetValue(since), now),
                To = ParseTime("--until", parseResult.GetValue(until), now),
            };
            if (query.From > query.To)
            {
                throw new CliUsageException("--since: it is later than --until.");
            }

            var entries = await session.Get<ProvisioningLogService>().QueryAsync(query, Math.Min(limit, ProvisioningLogService.MaxEntries), cancellationToken);
            if (parseResult.GetValue(format) == OutputFormat.Json)
            {
                environment.WriteRaw(JsonSerializer.Serialize(entries, CliJsonContext.Default.IReadOnlyListProvisioningLogEntry));
            }
            else
            {
                session.Output.Write(Table(entries));
                session.Output.MarkupLineInterpolated($"{entries.Count} entr{(entries.Count == 1 ? "y" : "ies")} of job '{selected.Id.Value}'.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Table Table(IEnumerable<ProvisioningLogEntry> entries)
    {
        var table = new Table().AddColumns("time (UTC)", "action", "status", "kind", "source", "target id", "details");
        foreach (var entry in entries)
        {
            var statusColour = entry.Status switch
            {
                ProvisioningStatus.Success => "green",
                ProvisioningStatus.Failure => "red",
                _ => "yellow",
            };
            table.AddRow(
                entry.ActivityDateTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                entry.Action.ToString(),
                $"[{statusColour}]{entry.Status}[/]",
                Markup.Escape(entry.SourceIdentity.IdentityType),
                Markup.Escape(entry.SourceIdentity.DisplayName ?? entry.SourceIdentity.Id),
                Markup.Escape(entry.TargetIdentity?.Id ?? string.Empty),
                Markup.Escape(Details(entry)));
        }

        return table;
    }

    /// <summary>The entry's error and recommended action, or the properties it changed.</summary>
    public static string Details(ProvisioningLogEntry entry)
    {
        if (entry.Error is { } error)
        {
            return $"{error.ErrorCode}: {error.Reason}{(error.RecommendedAction is { } action ? " " + action : string.Empty)}";
        }

        return entry.ModifiedProperties.Count == 0
            ? string.Empty
            : string.Join("; ", entry.ModifiedProperties.Take(4).Select(p => $"{p.DisplayName}: {p.OldValue ?? "-"} -> {p.NewValue ?? "-"}"))
              + (entry.ModifiedProperties.Count > 4 ? $"; +{entry.ModifiedProperties.Count - 4} more" : string.Empty);
    }

    /// <summary>An ISO 8601 time, or an age back from <paramref name="now"/> such as 30m, 2h or 7d.</summary>
    public static DateTimeOffset? ParseTime(string option, string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Age().Match(text.Trim()) is { Success: true } age)
        {
            var amount = int.Parse(age.Groups[1].Value, CultureInfo.InvariantCulture);
            return now - (age.Groups[2].Value.ToLowerInvariant() switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            });
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new CliUsageException($"{option}: '{text}' is neither a time (2026-05-01T08:00:00Z) nor an age (30m, 2h, 7d).");
    }

    [GeneratedRegex("^([0-9]{1,6})([smhdSMHD])$")]
    private static partial Regex Age();
}
