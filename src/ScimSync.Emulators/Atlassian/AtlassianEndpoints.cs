using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ScimSync.Emulators.Atlassian;

/// <summary>The SCIM routes under <c>/scim/directory/{directoryId}</c> (atlassian-scim-api.md §2).</summary>
internal static class AtlassianEndpoints
{
    public const string Prefix = "/scim/directory/{directoryId}";

    public static void Map(WebApplication app, AtlassianDirectory directory, AtlassianEmulatorOptions options, string apiKey, ListRequestCounts lists)
    {
        app.Use((context, next) => Authorized(context, apiKey) ? next(context) : Unauthorized(context));

        var scim = app.MapGroup(Prefix).AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            if (!string.Equals(context.GetRouteValue("directoryId") as string, options.DirectoryId, StringComparison.Ordinal))
            {
                return ScimResponse.Error(ScimException.NotFound($"Directory '{context.GetRouteValue("directoryId")}' does not exist."));
            }

            try
            {
                return await next(invocation);
            }
            catch (ScimException error)
            {
                return ScimResponse.Error(error);
            }
        });

        var maxPage = options.MaxPageSize;

        scim.MapGet("/Users", (HttpContext context) =>
        {
            var projection = Projection(context);
            var filter = Filter(context);
            var (startIndex, count) = Paging(context, maxPage);
            var (total, page) = directory.ListUsers(filter, startIndex, count, BaseUrl(context));
            lists.Record(groups: false, filtered: filter is not null);
            return Ok(ResourceJson.ListResponse(total, startIndex, [.. page.Select(user => Project(projection, user))]));
        });
        scim.MapPost("/Users", async (HttpContext context) =>
        {
            var projection = Projection(context);
            var user = directory.CreateUser(await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted), BaseUrl(context));
            if (directory.Faults.TakeLoss(group: false))
            {
                directory.DeleteUser(user["id"]!.GetValue<string>());
            }

            return new ScimResponse(StatusCodes.Status201Created, Project(projection, user), location: Location(user));
        });
        scim.MapGet("/Users/{id}", (HttpContext context, string id) =>
            Ok(Project(Projection(context), directory.GetUser(id, BaseUrl(context)))));
        scim.MapPut("/Users/{id}", async (HttpContext context, string id) =>
        {
            var projection = Projection(context);
            var body = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
            return Ok(Project(projection, directory.ReplaceUser(id, body, BaseUrl(context))));
        });
        scim.MapPatch("/Users/{id}", async (HttpContext context, string id) =>
        {
            var projection = Projection(context);
            var operations = PatchOperation.ParseRequest(await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted));
            return Ok(Project(projection, directory.PatchUser(id, operations, BaseUrl(context))));
        });
        scim.MapDelete("/Users/{id}", (string id) =>
        {
            directory.DeleteUser(id);
            return Results.NoContent();
        });

        // The Groups endpoints take no attributes/excludedAttributes (§2, §3): they are ignored, members included.
        scim.MapGet("/Groups", (HttpContext context) =>
        {
            var filter = Filter(context);
            var (startIndex, count) = Paging(context, maxPage);
            var (total, page) = directory.ListGroups(filter, startIndex, count, BaseUrl(context));
            lists.Record(groups: true, filtered: filter is not null);
            return Ok(ResourceJson.ListResponse(total, startIndex, page));
        });
        scim.MapPost("/Groups", async (HttpContext context) =>
        {
            var group = directory.CreateGroup(await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted), BaseUrl(context));
            if (directory.Faults.TakeLoss(group: true))
            {
                directory.DeleteGroup(group["id"]!.GetValue<string>());
            }

            return new ScimResponse(StatusCodes.Status201Created, group, location: Location(group));
        });
        scim.MapGet("/Groups/{id}", (HttpContext context, string id) => Ok(directory.GetGroup(id, BaseUrl(context))));
        scim.MapPut("/Groups/{id}", async (HttpContext context, string id) =>
            Ok(directory.ReplaceGroup(id, await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted), BaseUrl(context))));
        scim.MapPatch("/Groups/{id}", async (HttpContext context, string id) =>
        {
            var operations = PatchOperation.ParseRequest(await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted));
            return Ok(directory.PatchGroup(id, operations, BaseUrl(context)));
        });
        scim.MapDelete("/Groups/{id}", (string id) =>
        {
            directory.DeleteGroup(id);
            return Results.NoContent();
        });

        scim.MapGet("/ServiceProviderConfig", (HttpContext context) =>
            Ok(DiscoveryDocuments.ServiceProviderConfig(BaseUrl(context), maxPage)));
        scim.MapGet("/ResourceTypes", (HttpContext context) =>
        {
            var types = DiscoveryDocuments.ResourceTypes(BaseUrl(context));
            return Ok(ResourceJson.ListResponse(types.Count, 1, types));
        });
        scim.MapGet("/ResourceTypes/{name}", (HttpContext context, string name) =>
            Ok(DiscoveryDocuments.ResourceTypes(BaseUrl(context)).FirstOrDefault(type => Matches(type, name))
               ?? throw ScimException.NotFound($"Resource type '{name}' does not exist.")));
        scim.MapGet("/Schemas", (HttpContext context) =>
        {
            var schemas = DiscoveryDocuments.Schemas(BaseUrl(context));
            return Ok(ResourceJson.ListResponse(schemas.Count, 1, schemas));
        });
        scim.MapGet("/Schemas/{id}", (HttpContext context, string id) =>
            Ok(DiscoveryDocuments.Schemas(BaseUrl(context)).FirstOrDefault(schema => Matches(schema, id))
               ?? throw ScimException.NotFound($"Schema '{id}' does not exist.")));

        app.MapFallback((HttpContext context) =>
            ScimResponse.Error(ScimException.NotFound($"There is no SCIM endpoint at {context.Request.Method} {context.Request.Path}.")));
    }

    private static ScimResponse Ok(JsonObject body) => new(StatusCodes.Status200OK, body);

    private static bool Authorized(HttpContext context, string apiKey)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(apiKey));
    }

    private static Task Unauthorized(HttpContext context)
    {
        // Atlassian answers 401 with its "Failure" body, not a SCIM error (§1, §10).
        var body = new JsonObject
        {
            ["error"] = $"Not authorized to access : {context.Request.Path.Value?.TrimStart('/')}",
            ["traceId"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        };
        return new ScimResponse(StatusCodes.Status401Unauthorized, body, "application/json; charset=utf-8").ExecuteAsync(context);
    }

    private static string BaseUrl(HttpContext context) =>
        $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/scim/directory/{context.GetRouteValue("directoryId")}";

    private static string? Location(JsonObject resource) => resource["meta"]?["location"]?.GetValue<string>();

    private static EqualityFilter? Filter(HttpContext context) =>
        context.Request.Query.TryGetValue("filter", out var filter) ? EqualityFilter.Parse(filter.ToString()) : null;

    private static AttributeProjection? Projection(HttpContext context) =>
        AttributeProjection.FromQuery(context.Request.Query["attributes"].ToString(), context.Request.Query["excludedAttributes"].ToString());

    private static JsonObject Project(AttributeProjection? projection, JsonObject resource) =>
        projection?.Apply(resource) ?? resource;

    private static (int StartIndex, int Count) Paging(HttpContext context, int maxPage)
    {
        // startIndex is 1-based and below 1 means 1; count is a maximum, capped at the page size (§3, RFC 7644 §3.4.2.4).
        var startIndex = Integer(context, "startIndex") ?? 1;
        var count = Integer(context, "count") ?? maxPage;
        return (Math.Max(1, startIndex), Math.Clamp(count, 0, maxPage));
    }

    private static int? Integer(HttpContext context, string name)
    {
        if (!context.Request.Query.TryGetValue(name, out var text))
        {
            return null;
        }

        return int.TryParse(text.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ScimException.InvalidValue($"'{name}' must be an integer, not '{text}'.");
    }

    private static bool Matches(JsonObject resource, string id) =>
        string.Equals(resource["id"]?.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase);
}
