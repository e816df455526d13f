using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Admin;
using ScimSync.Admin.Handlers;

namespace ScimSync.Functions.Admin;

/// <summary>Pauses a job's cycles.</summary>
public sealed class PauseJobFunction(PauseHandler handler)
{
    [Function(nameof(PauseJobFunction))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminFunctionRoutes.Prefix + AdminRoutes.Pause)] HttpRequest request,
        string job,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, job, cancellationToken);
}
