using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ScimSync.Emulators.Graph.Delta;
using ScimSync.Emulators.Graph.Responses;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Http;

/// <summary>
/// Paged collections and single objects: <c>/servicePrincipals/{id}/appRoleAssignedTo</c> (graph-delta.md §5),
/// <c>/groups/{id}/members</c>, <c>/groups/{id}/transitiveMembers</c>, and <c>GET</c> of one user, group or service
/// principal. Pages follow <c>$top</c> (capped) and continue through an absolute <c>@odata.nextLink</c>.
/// </summary>
internal sealed class CollectionEndpoints(GraphEmulatorContext emulator)
{
    private static readonly FrozenSet<string> AssignmentProperties = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "id", "deletedDateTime", "appRoleId", "createdDateTime", "principalDisplayName", "principalId", "principalType",
        "resourceDisplayName", "resourceId",
    ]);

    private static readonly string[] UnsupportedParameters = ["$filter", "$search", "$orderby", "$skip", "$expand"];

    private TimeProvider Time => emulator.Time;

    private GraphTenant Tenant => emulator.Tenant;

    public async Task AppRoleAssignedToAsync(HttpContext context, string? id, string? appId)
    {
        var servicePrincipal = Tenant.ServicePrincipal;
        var matches = id is not null
            ? string.Equals(id, servicePrincipal.Id, StringComparison.OrdinalIgnoreCase)
            : string.Equals(appId, servicePrincipal.AppId, StringComparison.OrdinalIgnoreCase);
        if (!matches)
        {
            await GraphErrors.NotFound(context, id ?? appId ?? "", Time);
            return;
        }

        var paging = await ReadPagingAsync(context);
        if (paging is null)
        {
            return;
        }

        var selected = paging.Select is null
            ? AssignmentProperties.Items.ToList()
            : paging.Select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        var unknown = selected.FirstOrDefault(name => !AssignmentProperties.Contains(name));
        if (unknown is not null)
        {
            await GraphErrors.BadRequest(context, $"Could not find a property named '{unknown}' on type 'microsoft.graph.appRoleAssignment'.", Time);
            return;
        }

        byte[] body;
        lock (Tenant.Gate)
        {
            var assignments = Tenant.Assignments
                .Where(assignment => Tenant.Find(assignment.PrincipalId) is { IsActive: true })
                .OrderBy(assignment => assignment.Ordinal)
                .ToList();
            body = WritePage(context, paging, "appRoleAssignments", assignments.Count, (writer, index) =>
            {
                var assignment = assignments[index];
                writer.WriteStartObject();
                foreach (var name in selected)
                {
                    WriteAssignmentProperty(writer, name, assignment, servicePrincipal.DisplayName, servicePrincipal.Id);
                }

                if (!selected.Contains("id", StringComparer.OrdinalIgnoreCase))
                {
                    writer.WriteString("id", assignment.Id);
                }

                writer.WriteEndObject();
            });
        }

        await WriteBodyAsync(context, body);
    }

    private void WriteAssignmentProperty(Utf8JsonWriter writer, string name, AppRoleAssignmentEntry assignment, string resourceName, string resourceId)
    {
        switch (name.ToUpperInvariant())
        {
            case "ID": writer.WriteString("id", assignment.Id); break;
            case "DELETEDDATETIME": writer.WriteNull("deletedDateTime"); break;
            case "APPROLEID": writer.WriteString("appRoleId", assignment.AppRoleId); break;
            case "CREATEDDATETIME": writer.WriteString("createdDateTime", GraphValue.Timestamp(assignment.CreatedDateTime)); break;
            case "PRINCIPALDISPLAYNAME": writer.WriteString("principalDisplayName", Tenant.Find(assignment.PrincipalId)?.DisplayName); break;
            case "PRINCIPALID": writer.WriteString("principalId", assignment.PrincipalId); break;
            case "PRINCIPALTYPE": writer.WriteString("principalType", assignment.PrincipalType.ToString()); break;
            case "RESOURCEDISPLAYNAME": writer.WriteString("resourceDisplayName", resourceName); break;
            default: writer.WriteString("resourceId", resourceId); break;
        }
    }

    /// <summary>
    /// Direct members (<paramref name="transitive"/> false) or every user and group reached through nested groups,
    /// each once. <paramref name="cast"/> narrows to one type (<c>graph.user</c>/<c>graph.group</c>), which Graph
    /// serves only as an advanced query: <c>ConsistencyLevel: eventual</c> and <c>$count=true</c>.
    /// </summary>
    public async Task MembersAsync(HttpContext context, string groupId, bool transitive, string? cast)
    {
        ObjectType? only = null;
        if (cast is not null)
        {
            only = cast.ToUpperInvariant() switch
            {
                "GRAPH.USER" or "MICROSOFT.GRAPH.USER" => ObjectType.User,
                "GRAPH.GROUP" or "MICROSOFT.GRAPH.GROUP" => ObjectType.Group,
                _ => null,
            };
            if (only is null)
            {
                await GraphErrors.BadRequest(context, $"Resource not found for the segment '{cast}'.", Time);
                return;
            }

            if (!IsAdvancedQuery(context))
            {
                await GraphErrors.UnsupportedQuery(context, Time,
                    "A type cast on members needs the ConsistencyLevel: eventual header and $count=true.");
                return;
            }
        }

        var paging = await ReadPagingAsync(context);
        if (paging is null)
        {
            return;
        }

        var userProjection = Projection.Parse(ObjectType.User, paging.Select, out var userError);
        var groupProjection = Projection.Parse(ObjectType.Group, paging.Select, out var groupError);
        if (paging.Select is not null && (userProjection is null || groupProjection is null))
        {
            var (invalid, error) = MixedSelect(paging.Select);
            if (invalid)
            {
                await GraphErrors.BadRequest(context, error ?? userError ?? groupError!, Time);
                return;
            }

            userProjection = Projection.FromList(ObjectType.User, Known(ObjectType.User, paging.Select), out _);
            groupProjection = Projection.FromList(ObjectType.Group, Known(ObjectType.Group, paging.Select), out _);
        }

        byte[]? body = null;
        lock (Tenant.Gate)
        {
            if (Tenant.Find(groupId) is GroupEntry { IsActive: true } group)
            {
                var members = transitive
                    ? Tenant.TransitiveMembers(group)
                    : group.PresentMembers.OrderBy(edge => edge.Sequence).Select(edge => Tenant.Find(edge.MemberId)!).Where(m => m.IsActive).ToList();
                if (only is not null)
                {
                    members = members.Where(member => member.Type == only).ToList();
                }

                body = WritePage(context, paging, "directoryObjects", members.Count, (writer, index) =>
                {
                    var member = members[index];
                    GraphObjectWriter.WriteObject(writer, member, member.Type == ObjectType.User ? userProjection! : groupProjection!, withType: true);
                });
            }
        }

        if (body is null)
        {
            await GraphErrors.NotFound(context, groupId, Time);
            return;
        }

        await WriteBodyAsync(context, body);
    }

    /// <summary>
    /// The groups a user or group is a direct member of (<c>memberOf</c>) or reaches through nested groups
    /// (<c>transitiveMemberOf</c>), paged like members. Directory roles and administrative units are not modelled.
    /// </summary>
    public async Task MemberOfAsync(HttpContext context, ObjectType type, string id, bool transitive)
    {
        var paging = await ReadPagingAsync(context);
        if (paging is null)
        {
            return;
        }

        var projection = Projection.Parse(ObjectType.Group, paging.Select, out var error);
        if (projection is null)
        {
            await GraphErrors.BadRequest(context, error!, Time);
            return;
        }

        byte[]? body = null;
        lock (Tenant.Gate)
        {
            if (Tenant.Find(id) is { IsActive: true } entry && entry.Type == type)
            {
                var groups = Tenant.GroupsOf(entry, transitive);
                body = WritePage(context, paging, "directoryObjects", groups.Count, (writer, index) =>
                    GraphObjectWriter.WriteObject(writer, groups[index], projection, withType: true));
            }
        }

        if (body is null)
        {
            await GraphErrors.NotFound(context, id, Time);
            return;
        }

        await WriteBodyAsync(context, body);
    }

    /// <summary>GET of one active user (by id or userPrincipalName) or group.</summary>
    public async Task ObjectAsync(HttpContext context, ObjectType type, string id)
    {
        var projection = Projection.Parse(type, context.Request.Query["$select"].ToString(), out var error);
        if (projection is null)
        {
            await GraphErrors.BadRequest(context, error!, Time);
            return;
        }

        byte[]? body = null;
        lock (Tenant.Gate)
        {
            var entry = Tenant.Find(id);
            if (entry is null && type == ObjectType.User)
            {
                entry = Tenant.UsersInOrder.Find(user => user.IsActive &&
                    user.Properties.TryGetValue("userPrincipalName", out var upn) &&
                    string.Equals(upn.GetString(), id, StringComparison.OrdinalIgnoreCase));
            }

            if (entry is { IsActive: true } && entry.Type == type)
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    writer.WriteString("@odata.context", $"{DeltaEndpoint.BaseUrl(context)}/$metadata#{projection.ContextSuffix(type == ObjectType.User ? "users" : "groups")}/$entity");
                    GraphObjectWriter.WriteProperties(writer, entry, projection);
                    writer.WriteEndObject();
                }

                body = buffer.ToArray();
            }
        }

        if (body is null)
        {
            await GraphErrors.NotFound(context, id, Time);
            return;
        }

        await WriteBodyAsync(context, body);
    }

    public async Task ServicePrincipalAsync(HttpContext context, string? id, string? appId)
    {
        var servicePrincipal = Tenant.ServicePrincipal;
        var matches = id is not null
            ? string.Equals(id, servicePrincipal.Id, StringComparison.OrdinalIgnoreCase)
            : string.Equals(appId, servicePrincipal.AppId, StringComparison.OrdinalIgnoreCase);
        if (!matches)
        {
            await GraphErrors.NotFound(context, id ?? appId ?? "", Time);
            return;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", $"{DeltaEndpoint.BaseUrl(context)}/$metadata#servicePrincipals/$entity");
            writer.WriteString("id", servicePrincipal.Id);
            writer.WriteString("appId", servicePrincipal.AppId);
            writer.WriteString("displayName", servicePrincipal.DisplayName);
            writer.WriteStartArray("appRoles");
            foreach (var role in servicePrincipal.AppRoles)
            {
                writer.WriteStartObject();
                writer.WriteString("id", role.Id);
                writer.WriteString("value", role.Value);
                writer.WriteString("displayName", role.DisplayName);
                writer.WriteBoolean("isEnabled", true);
                writer.WriteStartArray("allowedMemberTypes");
                writer.WriteStringValue("User");
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await WriteBodyAsync(context, buffer.ToArray());
    }

    private sealed record Paging(int Offset, int Top, string? Select, bool Count);

    private async Task<Paging?> ReadPagingAsync(HttpContext context)
    {
        var query = context.Request.Query;
        foreach (var parameter in UnsupportedParameters)
        {
            if (query.ContainsKey(parameter))
            {
                await GraphErrors.UnsupportedQuery(context, Time, $"The emulator does not support {parameter} on this collection.");
                return null;
            }
        }

        var count = string.Equals(query["$count"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        if (count && !string.Equals(context.Request.Headers["ConsistencyLevel"].ToString(), "eventual", StringComparison.OrdinalIgnoreCase))
        {
            await GraphErrors.BadRequest(context, "$count is supported only with the ConsistencyLevel: eventual header.", Time);
            return null;
        }

        var skipToken = query["$skiptoken"].ToString();
        if (skipToken.Length > 0)
        {
            var state = OpaqueToken.Decode(skipToken, GraphJsonContext.Default.PageState);
            if (state is null || !string.Equals(state.Path, context.Request.Path.Value, StringComparison.OrdinalIgnoreCase))
            {
                await GraphErrors.BadRequest(context, "The skip token is not valid for this collection.", Time);
                return null;
            }

            return new Paging(state.Offset, state.Top, state.Select, Count: false);
        }

        var top = emulator.Options.CollectionPageSize;
        var topText = query["$top"].ToString();
        if (topText.Length > 0)
        {
            if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top < 1)
            {
                await GraphErrors.BadRequest(context, $"Invalid value '{topText}' for $top; expected a positive integer.", Time);
                return null;
            }

            if (top > emulator.Options.CollectionMaxPageSize)
            {
                await GraphErrors.BadRequest(context,
                    $"Invalid page size specified: '{top}'. Must be between 1 and {emulator.Options.CollectionMaxPageSize} inclusive.", Time);
                return null;
            }
        }

        var select = query["$select"].ToString();
        return new Paging(0, top, select.Length > 0 ? select : null, count);
    }

    private static byte[] WritePage(HttpContext context, Paging paging, string entitySet, int total, Action<Utf8JsonWriter, int> writeItem)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var end = Math.Min(total, paging.Offset + paging.Top);
            writer.WriteStartObject();
            writer.WriteString("@odata.context", $"{DeltaEndpoint.BaseUrl(context)}/$metadata#{entitySet}");
            if (paging.Count)
            {
                writer.WriteNumber("@odata.count", total);
            }

            if (end < total)
            {
                var token = OpaqueToken.Encode(
                    new PageState { Path = context.Request.Path.Value ?? "", Offset = end, Top = paging.Top, Select = paging.Select },
                    GraphJsonContext.Default.PageState);
                writer.WriteString("@odata.nextLink", $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}?$skiptoken={token}");
            }

            writer.WriteStartArray("value");
            for (var index = paging.Offset; index < end; index++)
            {
                writeItem(writer, index);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static async Task WriteBodyAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = GraphErrors.ContentType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    // The header is needed on every page; $count=true only on the first (later pages carry just the skip token).
    private static bool IsAdvancedQuery(HttpContext context) =>
        string.Equals(context.Request.Headers["ConsistencyLevel"].ToString(), "eventual", StringComparison.OrdinalIgnoreCase) &&
        (string.Equals(context.Request.Query["$count"].ToString(), "true", StringComparison.OrdinalIgnoreCase) ||
         context.Request.Query.ContainsKey("$skiptoken"));

    // On a collection of users and groups a name is valid when either type has it.
    private static (bool Invalid, string? Error) MixedSelect(string select)
    {
        foreach (var name in select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (GraphProperties.Canonical(ObjectType.User, name) is null && GraphProperties.Canonical(ObjectType.Group, name) is null)
            {
                return (true, $"Could not find a property named '{name}' on type 'microsoft.graph.directoryObject'.");
            }
        }

        return (false, null);
    }

    private static List<string> Known(ObjectType type, string select) =>
        select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(name => GraphProperties.Canonical(type, name) is not null)
            .ToList();
}
