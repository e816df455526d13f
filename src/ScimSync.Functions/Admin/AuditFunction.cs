using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Admin;
using ScimSync.Admin.Handlers;

namespace ScimSync.Functions.Admin;

/// <summary>A drift scan of one job's target now; <c>?plan=true</c> for a dry run.</summary>
public sealed class AuditFunction(AuditHandler handler)
{
    [Function(nameof(AuditFunction))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminFunctionRoutes.Prefix + AdminRoutes.Audit)] HttpRequest request,
        string job,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, job, cancellationToken);
}
