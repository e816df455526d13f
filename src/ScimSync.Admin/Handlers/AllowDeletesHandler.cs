using Microsoft.AspNetCore.Http;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Handlers;

/// <summary>POST allow-deletes: queues every deprovision the deletion guard holds, then lifts the hold.</summary>
public sealed class AllowDeletesHandler(JobControlService control)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return AdminResults.Action(request, await control.AllowDeletesAsync(new JobId(job), cancellationToken: cancellationToken));
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
    }
}
