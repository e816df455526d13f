using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Json;
using ScimSync.Admin.Page;
using ScimSync.Core.Admin;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Handlers;

/// <summary>
/// POST provision: provisions one user, or a group with its members, now (Entra's "provision on demand"). The object
/// id comes as <c>sourceId</c> (query, form field, or a JSON body <c>{"sourceId": "…", "kind": "User"}</c>); a
/// script gets each step as JSON, the status page a page showing them.
/// </summary>
public sealed class ProvisionHandler(ProvisionOnDemandService provisioning)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (sourceId, kindText) = await ReadAsync(request, cancellationToken);
        if (string.IsNullOrWhiteSpace(sourceId))
        {
            return AdminResults.BadRequest("sourceId: the Entra object id of the user or group to provision.");
        }

        ObjectKind? kind = null;
        if (!string.IsNullOrWhiteSpace(kindText))
        {
            if (kindText.All(char.IsDigit) || !Enum.TryParse<ObjectKind>(kindText, ignoreCase: true, out var parsed))
            {
                return AdminResults.BadRequest($"kind: User or Group (got '{kindText}'), or leave it out to look for a user first, then a group.");
            }

            kind = parsed;
        }

        OnDemandProvisioning result;
        try
        {
            result = await provisioning.ProvisionAsync(new JobId(job), new SourceId(sourceId.Trim()), kind, cancellationToken);
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }

        return AdminResults.IsFormPost(request)
            ? new HtmlResult(ProvisionPageRenderer.Render(result, PageLinks.From(request.HttpContext)), StatusCodes.Status200OK)
            : TypedResults.Json(result, AdminJsonContext.Default.OnDemandProvisioning);
    }

    private static async Task<(string? SourceId, string? Kind)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasJsonContentType())
        {
            try
            {
                var body = await request.ReadFromJsonAsync(AdminJsonContext.Default.ProvisionRequest, cancellationToken);
                return (body?.SourceId, body?.Kind);
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }

        return (await AdminParameters.GetAsync(request, "sourceId", cancellationToken), await AdminParameters.GetAsync(request, "kind", cancellationToken));
    }
}
