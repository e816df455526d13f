using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Admin;
using ScimSync.Admin.Handlers;

namespace ScimSync.Functions.Admin;

/// <summary>Every job's status as JSON (<c>?job=</c> for one).</summary>
public sealed class StatusFunction(StatusHandler handler)
{
    [Function(nameof(StatusFunction))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminFunctionRoutes.Prefix + AdminRoutes.Status)] HttpRequest request,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);
}
