using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Json;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Handlers;

/// <summary>GET plan: a dry run of the job's next cycle as JSON; nothing is written to the target or the state.</summary>
public sealed class PlanHandler(PlanService plans)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return TypedResults.Json(await plans.PlanAsync(new JobId(job), cancellationToken), AdminJsonContext.Default.JobPlan);
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
    }
}
