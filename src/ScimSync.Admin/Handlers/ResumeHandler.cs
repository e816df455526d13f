using Microsoft.AspNetCore.Http;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Handlers;

/// <summary>POST resume: starts a paused job's cycles again (and, like Entra's Start, lifts a quarantine).</summary>
public sealed class ResumeHandler(JobControlService control)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return AdminResults.Action(request, await control.ResumeAsync(new JobId(job), cancellationToken: cancellationToken));
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
    }
}
