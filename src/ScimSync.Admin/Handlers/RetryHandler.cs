using Microsoft.AspNetCore.Http;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Handlers;

/// <summary>POST retry: makes every object whose change has not reached the target due again now.</summary>
public sealed class RetryHandler(JobControlService control)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return AdminResults.Action(request, await control.RetryAsync(new JobId(job), cancellationToken: cancellationToken));
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
    }
}
