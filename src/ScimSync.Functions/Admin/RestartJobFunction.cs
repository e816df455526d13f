using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Admin;
using ScimSync.Admin.Handlers;

namespace ScimSync.Functions.Admin;

/// <summary>Restarts a job with scopes (Watermark, Escrows, QuarantineState, Full).</summary>
public sealed class RestartJobFunction(RestartHandler handler)
{
    [Function(nameof(RestartJobFunction))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminFunctionRoutes.Prefix + AdminRoutes.Restart)] HttpRequest request,
        string job,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, job, cancellationToken);
}
