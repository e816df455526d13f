using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Admin;
using ScimSync.Admin.Handlers;

namespace ScimSync.Functions.Admin;

/// <summary>Provisions one user, or a group with its members, now.</summary>
public sealed class ProvisionOnDemandFunction(ProvisionHandler handler)
{
    [Function(nameof(ProvisionOnDemandFunction))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminFunctionRoutes.Prefix + AdminRoutes.Provision)] HttpRequest request,
        string job,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, job, cancellationToken);
}
