using Microsoft.AspNetCore.Http;
using ScimSync.Emulators.Graph.Responses;

namespace ScimSync.Emulators.Graph.Http;

/// <summary>
/// Graph's answers to missing credentials and permissions: 401 when the bearer token is absent or wrong, 403
/// Authorization_RequestDenied while a test denies a permission. Graph needs a token on every request; only an
/// emulator started with <see cref="GraphEmulatorOptions.AllowAnonymous"/> lets a request without one in.
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
        if (emulator.Controls.DeniedPermission is { } permission)
        {
            await GraphErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "Authorization_RequestDenied",
                $"Insufficient privileges to complete the operation. The application needs the {permission} permission.", emulator.Time);
            return;
        }

        await next(context);
    }
}
