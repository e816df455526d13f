using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Json;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Handlers;

/// <summary>GET status: every job's status as JSON, or one job's with <c>?job=</c>.</summary>
public sealed class StatusHandler(JobStatusService status)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var job = request.Query["job"].ToString();
        try
        {
            IReadOnlyList<JobStatusReport> jobs = job.Length == 0
                ? await status.GetAllAsync(cancellationToken)
                : [await status.GetStatusAsync(new JobId(job), cancellationToken)];
            var queued = await status.GetQueuedMessagesAsync(cancellationToken);
            return TypedResults.Json(new AdminStatus(jobs, queued), AdminJsonContext.Default.AdminStatus);
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
    }
}
