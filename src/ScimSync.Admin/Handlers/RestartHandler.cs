using Microsoft.AspNetCore.Http;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Handlers;

/// <summary>
/// POST restart: resets parts of the job's state as Entra's Restart does. <c>scope</c> (query or form) is a
/// comma-separated list of Watermark, Escrows, QuarantineState, Full, or Default (the first three, as Entra).
/// </summary>
public sealed class RestartHandler(JobControlService control)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = await AdminParameters.GetAsync(request, "scope", cancellationToken);
        if (ParseScope(text) is not { } scope)
        {
            return AdminResults.BadRequest($"scope: '{text}' is not a comma-separated list of Watermark, Escrows, QuarantineState, Full or Default.");
        }

        try
        {
            return AdminResults.Action(request, await control.RestartAsync(new JobId(job), scope, cancellationToken));
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
    }

    /// <summary>The scope named by <paramref name="text"/>; Default when empty; null when a name is unknown.</summary>
    public static RestartScope? ParseScope(string? text)
    {
        var names = (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            return RestartScope.Default;
        }

        var scope = RestartScope.None;
        foreach (var name in names)
        {
            if (name.All(char.IsDigit) || !Enum.TryParse<RestartScope>(name, ignoreCase: true, out var part) || part == RestartScope.None)
            {
                return null;
            }

            scope |= part;
        }

        return scope;
    }
}
