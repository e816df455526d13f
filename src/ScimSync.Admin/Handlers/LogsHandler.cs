using System.Globalization;
using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Json;
using ScimSync.Core.Admin;
using ScimSync.Core.Configuration;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;

namespace ScimSync.Admin.Handlers;

/// <summary>
/// GET logs: one page of a job's provisioning log entries, newest first, filtered as Entra's provisioning logs are:
/// <c>job</c> (needed when the job file has several), <c>status</c>, <c>action</c>, <c>sourceId</c>, <c>targetId</c>,
/// <c>cycle</c>, <c>since</c> and <c>until</c> (ISO 8601 times), <c>top</c> (1-1000, default 100) and the
/// <c>continuationToken</c> of the page before.
/// </summary>
public sealed class LogsHandler(ProvisioningLogService logs, JobCatalog catalog)
{
    private const int DefaultTop = 100;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        var problems = new List<string>();
        var job = query["job"].ToString();
        if (job.Length == 0)
        {
            var jobs = catalog.Jobs.Select(known => known.Id).ToList();
            if (jobs.Count != 1)
            {
                return AdminResults.BadRequest($"job: name one of the jobs ({string.Join(", ", jobs.Select(id => id.Value))}).");
            }

            job = jobs[0].Value;
        }

        var filter = new ProvisioningLogQuery(new JobId(job))
        {
            Status = Parse<ProvisioningStatus>(query["status"], "status", problems),
            Action = Parse<ProvisioningAction>(query["action"], "action", problems),
            SourceId = Text(query["sourceId"]),
            TargetId = Text(query["targetId"]),
            CycleId = Text(query["cycle"]),
            From = Time(query["since"], "since", problems),
            To = Time(query["until"], "until", problems),
        };
        var top = DefaultTop;
        if (Text(query["top"]) is { } topText && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > 1000))
        {
            problems.Add($"top: a number from 1 to 1000 (got '{topText}').");
        }

        if (filter.From > filter.To)
        {
            problems.Add("since: it is later than until.");
        }

        if (problems.Count > 0)
        {
            return AdminResults.BadRequest(string.Join(" ", problems));
        }

        try
        {
            var page = await logs.QueryPageAsync(filter, Text(query["continuationToken"]), top, cancellationToken);
            return TypedResults.Json(new AdminLogPage(page.Entries, page.ContinuationToken), AdminJsonContext.Default.AdminLogPage);
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
        catch (Exception malformed) when (malformed is FormatException or ArgumentException)
        {
            return AdminResults.BadRequest(malformed.Message);
        }
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static T? Parse<T>(string? value, string name, List<string> problems)
        where T : struct, Enum
    {
        if (Text(value) is not { } text)
        {
            return null;
        }

        if (!text.All(char.IsDigit) && Enum.TryParse<T>(text, ignoreCase: true, out var parsed))
        {
            return parsed;
        }

        problems.Add($"{name}: one of {string.Join(", ", Enum.GetNames<T>())} (got '{text}').");
        return null;
    }

    private static DateTimeOffset? Time(string? value, string name, List<string> problems)
    {
        if (Text(value) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        problems.Add($"{name}: an ISO 8601 time such as 2026-05-01T08:00:00Z (got '{text}').");
        return null;
    }
}
