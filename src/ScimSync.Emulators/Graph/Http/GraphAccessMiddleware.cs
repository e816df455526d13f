using Microsoft.AspNetCore.Http;
using ScimSync.Emulators.Graph.Responses;

namespace ScimSync.Emulators.Graph.Http;

/// <summary>
/// Graph's answers to missing credentials and permissions: 401 when the bearer token is absent or wrong, 403
/// Authorization_RequestDenied while a test denies a permission, on the requests that need it only (users need
/// User.Read.All, groups and their members Group.Read.All or GroupMember.Read.All, a service principal's assignments
/// Application.Read.All), with Graph's own words, which do not name the permission. Graph needs a token on every
/// request; only an emulator started with <see cref="GraphEmulatorOptions.AllowAnonymous"/> lets a request without one in.
/// </summary>
internal sealed class GraphAccessMiddleware(RequestDelegate next, GraphEmulatorContext emulator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0 || !emulator.Options.AllowAnonymous)
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await GraphErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken",
                    "Access token is empty.", emulator.Time);
                return;
            }

            if (!string.Equals(header["Bearer ".Length..].Trim(), emulator.AccessToken, StringComparison.Ordinal))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await GraphErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken",
                    "Access token validation failure. Invalid audience.", emulator.Time);
                return;
            }
        }

        emulator.Replica.Observe();
        if (emulator.Controls.DeniedPermission is { } permission && Needs(context.Request.Path, permission))
        {
            await GraphErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.", emulator.Time);
            return;
        }

        await next(context);
    }

    /// <summary>Whether a request for <paramref name="path"/> needs <paramref name="permission"/>; an unknown permission guards every request.</summary>
    private static bool Needs(PathString path, string permission)
    {
        var segments = (path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        bool Reads(string collection) => segments.Any(segment => segment.Equals(collection, StringComparison.OrdinalIgnoreCase));
        return permission switch
        {
            "User.Read.All" => Reads("users"),
            "Group.Read.All" or "GroupMember.Read.All" => Reads("groups"),
            "Application.Read.All" => Reads("servicePrincipals"),
            _ => true,
        };
    }
}
