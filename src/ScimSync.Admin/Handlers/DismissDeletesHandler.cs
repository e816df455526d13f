using Microsoft.AspNetCore.Http;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Handlers;

/// <summary>POST dismiss-deletes: drops every held deprovision (they will not happen), then lifts the hold.</summary>
public sealed class DismissDeletesHandler(JobControlService control)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return AdminResults.Action(request, await control.DismissHeldDeletesAsync(new JobId(job), cancellationToken: cancellationToken));
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
    }
}
