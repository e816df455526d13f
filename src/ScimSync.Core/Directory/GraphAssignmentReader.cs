using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;
using GraphAppRoleAssignment = Microsoft.Graph.Models.AppRoleAssignment;

namespace ScimSync.Core.Directory;

/// <summary>
/// Reads the app role assignments of a service principal (<c>/servicePrincipals/{id}/appRoleAssignedTo</c>). Graph has
/// no delta for them, so every cycle reads them all: one request per page of up to 999 assignments.
/// </summary>
public sealed partial class GraphAssignmentReader(GraphServiceClient client, ILogger<GraphAssignmentReader> logger)
{
    private static readonly string[] Select = ["id", "principalId", "principalType", "appRoleId"];

    /// <summary>Reads every user and group assignment; service principal assignments are not provisioned and are skipped.</summary>
    /// <exception cref="GraphAccessDeniedException">Graph answered 401 or 403; the message names Application.Read.All.</exception>
    public async Task<AssignmentSnapshot> ReadAsync(string servicePrincipalId, CancellationToken cancellationToken = default)
    {
        var assignments = new List<AppRoleAssignment>();
        var builder = client.ServicePrincipals[servicePrincipalId].AppRoleAssignedTo;
        var requests = 0;
        try
        {
            var page = await builder.GetAsync(c =>
            {
                c.QueryParameters.Select = Select;
                c.QueryParameters.Top = 999;
            }, cancellationToken).ConfigureAwait(false);
            requests++;
            while (page is not null)
            {
                foreach (var assignment in page.Value ?? [])
                {
                    if (Convert(assignment) is { } converted)
                    {
                        assignments.Add(converted);
                    }
                }
                if (string.IsNullOrEmpty(page.OdataNextLink))
                {
                    break;
                }
                page = await builder.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                requests++;
            }
        }
        catch (ApiException ex) when (ex.ResponseStatusCode is 401 or 403)
        {
            throw GraphDirectoryReader.AccessDenied(ex, $"servicePrincipals/{servicePrincipalId}/appRoleAssignedTo", "Application.Read.All");
        }
        LogRead(logger, assignments.Count, servicePrincipalId, requests);
        return new AssignmentSnapshot(assignments);
    }

    private static AppRoleAssignment? Convert(GraphAppRoleAssignment assignment)
    {
        if (assignment.PrincipalId is not { } principalId)
        {
            return null;
        }
        ObjectKind? kind = assignment.PrincipalType switch
        {
            "User" => ObjectKind.User,
            "Group" => ObjectKind.Group,
            _ => null,
        };
        return kind is null ? null : new AppRoleAssignment(new SourceId(principalId.ToString()), kind.Value, assignment.AppRoleId ?? Guid.Empty);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Read {Count} app role assignments of service principal {ServicePrincipalId} in {Requests} requests")]
    private static partial void LogRead(ILogger logger, int count, string servicePrincipalId, int requests);
}
