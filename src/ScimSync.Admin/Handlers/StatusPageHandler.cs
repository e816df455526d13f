using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Page;
using ScimSync.Core.Admin;
using ScimSync.Core.Logging;

namespace ScimSync.Admin.Handlers;

/// <summary>GET page: the status page, rendered from every job's status and its latest failures and warnings.</summary>
public sealed class StatusPageHandler(JobStatusService status, ProvisioningLogService logs, TimeProvider timeProvider)
{
    /// <summary>How many failures and warnings the page lists per job.</summary>
    public const int ListedProblems = 10;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var jobs = await status.GetAllAsync(cancellationToken);
        var problems = new List<ProvisioningLogEntry>();
        foreach (var job in jobs)
        {
            foreach (var kind in new[] { ProvisioningStatus.Failure, ProvisioningStatus.Warning })
            {
                problems.AddRange(await logs.QueryAsync(new ProvisioningLogQuery(job.Job) { Status = kind }, ListedProblems, cancellationToken));
            }
        }

        var latest = problems.GroupBy(entry => entry.Job)
            .SelectMany(job => job.OrderByDescending(entry => entry.ActivityDateTime).Take(ListedProblems))
            .ToList();
        var model = new StatusPageModel(
            jobs, latest, await status.GetQueuedMessagesAsync(cancellationToken), timeProvider.GetUtcNow(), PageNotice.From(request));
        return new HtmlResult(StatusPageRenderer.Render(model, PageLinks.From(request.HttpContext)), StatusCodes.Status200OK);
    }
}
