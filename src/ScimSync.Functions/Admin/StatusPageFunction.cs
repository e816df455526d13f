using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Admin;
using ScimSync.Admin.Handlers;

namespace ScimSync.Functions.Admin;

/// <summary>The status page (HTML).</summary>
public sealed class StatusPageFunction(StatusPageHandler handler)
{
    [Function(nameof(StatusPageFunction))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminFunctionRoutes.Prefix + AdminRoutes.Page)] HttpRequest request,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);
}
