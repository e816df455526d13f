using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Admin;
using ScimSync.Admin.Handlers;

namespace ScimSync.Functions.Admin;

/// <summary>A dry run of a job's next cycle; nothing is written.</summary>
public sealed class PlanFunction(PlanHandler handler)
{
    [Function(nameof(PlanFunction))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminFunctionRoutes.Prefix + AdminRoutes.Plan)] HttpRequest request,
        string job,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, job, cancellationToken);
}
