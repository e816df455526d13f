using Microsoft.AspNetCore.Http;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Handlers;

/// <summary>POST pause: stops the job's cycles, keeping its state; an optional <c>reason</c> (query or form) is shown in its status.</summary>
public sealed class PauseHandler(JobControlService control)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = await AdminParameters.GetAsync(request, "reason", cancellationToken);
        try
        {
            return AdminResults.Action(request, await control.PauseAsync(new JobId(job), string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), cancellationToken));
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
    }
}
