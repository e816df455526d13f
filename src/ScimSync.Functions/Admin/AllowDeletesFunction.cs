using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Admin;
using ScimSync.Admin.Handlers;

namespace ScimSync.Functions.Admin;

/// <summary>Releases the deprovisions the deletion guard held.</summary>
public sealed class AllowDeletesFunction(AllowDeletesHandler handler)
{
    [Function(nameof(AllowDeletesFunction))]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminFunctionRoutes.Prefix + AdminRoutes.AllowDeletes)] HttpRequest request,
        string job,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, job, cancellationToken);
}
