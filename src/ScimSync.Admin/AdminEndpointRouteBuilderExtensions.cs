using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Admin.Handlers;
using ScimSync.Admin.Security;

namespace ScimSync.Admin;

/// <summary>The admin routes of <c>scimsync run</c>'s server: the same handlers as the Functions app, behind the admin key.</summary>
public static class AdminEndpointRouteBuilderExtensions
{
    /// <summary>Maps every admin endpoint under <see cref="AdminRoutes.RunPrefix"/>; all but sign-in require the admin key.</summary>
    public static IEndpointRouteBuilder MapScimSyncAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", (HttpRequest request) => Results.Redirect(request.PathBase + AdminRoutes.RunPrefix + "/" + AdminRoutes.Page));
        var root = endpoints.MapGroup(AdminRoutes.RunPrefix);
        root.MapGet(AdminRoutes.SignIn, (HttpRequest request) => SignInHandler.Form(request));
        root.MapPost(AdminRoutes.SignIn, (HttpRequest request, SignInHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, cancellationToken)).DisableAntiforgery();

        var admin = root.MapGroup(string.Empty).AddEndpointFilter<AdminKeyFilter>().DisableAntiforgery();
        admin.MapGet("admin", (HttpRequest request) => Results.Redirect(request.PathBase + AdminRoutes.RunPrefix + "/" + AdminRoutes.Page));
        admin.MapGet(AdminRoutes.Status, (HttpRequest request, StatusHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, cancellationToken));
        admin.MapGet(AdminRoutes.Page, (HttpRequest request, StatusPageHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, cancellationToken));
        admin.MapGet(AdminRoutes.Logs, (HttpRequest request, LogsHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, cancellationToken));
        admin.MapGet(AdminRoutes.Plan, (HttpRequest request, string job, PlanHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, job, cancellationToken));
        admin.MapPost(AdminRoutes.Provision, (HttpRequest request, string job, ProvisionHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, job, cancellationToken));
        admin.MapPost(AdminRoutes.Pause, (HttpRequest request, string job, PauseHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, job, cancellationToken));
        admin.MapPost(AdminRoutes.Resume, (HttpRequest request, string job, ResumeHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, job, cancellationToken));
        admin.MapPost(AdminRoutes.Restart, (HttpRequest request, string job, RestartHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, job, cancellationToken));
        admin.MapPost(AdminRoutes.AllowDeletes, (HttpRequest request, string job, AllowDeletesHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, job, cancellationToken));
        admin.MapPost(AdminRoutes.DismissDeletes, (HttpRequest request, string job, DismissDeletesHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, job, cancellationToken));
        admin.MapPost(AdminRoutes.Retry, (HttpRequest request, string job, RetryHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, job, cancellationToken));
        admin.MapPost(AdminRoutes.Audit, (HttpRequest request, string job, AuditHandler handler, CancellationToken cancellationToken) =>
            handler.HandleAsync(request, job, cancellationToken));
        return endpoints;
    }
}
