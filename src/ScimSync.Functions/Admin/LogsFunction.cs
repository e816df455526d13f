using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Admin;
using ScimSync.Admin.Handlers;

namespace ScimSync.Functions.Admin;

/// <summary>Provisioning log entries with Entra's filters.</summary>
public sealed class LogsFunction(LogsHandler handler)
{
    [Function(nameof(LogsFunction))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminFunctionRoutes.Prefix + AdminRoutes.Logs)] HttpRequest request,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);
}
