using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ScimSync.Emulators.Graph.Responses;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Http;

/// <summary>The Graph v1.0 routes the emulator serves, as route patterns (also the keys of the request counters).</summary>
public static class GraphRoutes
{
    /// <summary>
    /// The four spellings of the delta function (graph-delta.md §1): the docs use <c>delta</c>, the .NET SDK requests
    /// <c>delta()</c>, and <c>microsoft.graph.delta</c> is the fully qualified name.
    /// </summary>
    public static readonly IReadOnlyList<string> DeltaSpellings = ["delta", "delta()", "microsoft.graph.delta", "microsoft.graph.delta()"];

    public const string Prefix = "/v1.0";

    /// <summary>Counter keys ("GET /users/delta()" etc.) of every spelling of a delta route.</summary>
    public static IEnumerable<string> DeltaCounterKeys(ObjectType type) =>
        DeltaSpellings.Select(spelling => $"GET /{Collection(type)}/{spelling}");

    internal static string Collection(ObjectType type) => type == ObjectType.User ? "users" : "groups";

    internal static void Map(IEndpointRouteBuilder routes, GraphEmulatorContext emulator)
    {
        var delta = new DeltaEndpoint(emulator);
        var collections = new CollectionEndpoints(emulator);

        foreach (var type in (ObjectType[])[ObjectType.User, ObjectType.Group])
        {
            foreach (var spelling in DeltaSpellings)
            {
                routes.MapGet($"{Prefix}/{Collection(type)}/{spelling}", (HttpContext context) => delta.HandleAsync(context, type));
            }

            routes.MapGet($"{Prefix}/{Collection(type)}/{{id}}", (HttpContext context, string id) => collections.ObjectAsync(context, type, id));
            routes.MapGet($"{Prefix}/{Collection(type)}/{{id}}/memberOf", (HttpContext context, string id) => collections.MemberOfAsync(context, type, id, transitive: false));
            routes.MapGet($"{Prefix}/{Collection(type)}/{{id}}/transitiveMemberOf", (HttpContext context, string id) => collections.MemberOfAsync(context, type, id, transitive: true));
        }

        routes.MapGet($"{Prefix}/groups/{{id}}/members", (HttpContext context, string id) => collections.MembersAsync(context, id, transitive: false, cast: null));
        routes.MapGet($"{Prefix}/groups/{{id}}/members/{{cast}}", (HttpContext context, string id, string cast) => collections.MembersAsync(context, id, transitive: false, cast));
        routes.MapGet($"{Prefix}/groups/{{id}}/transitiveMembers", (HttpContext context, string id) => collections.MembersAsync(context, id, transitive: true, cast: null));
        routes.MapGet($"{Prefix}/groups/{{id}}/transitiveMembers/{{cast}}", (HttpContext context, string id, string cast) => collections.MembersAsync(context, id, transitive: true, cast));

        routes.MapGet($"{Prefix}/servicePrincipals/{{id}}", (HttpContext context, string id) => collections.ServicePrincipalAsync(context, id, appId: null));
        routes.MapGet($"{Prefix}/servicePrincipals(appId='{{appId}}')", (HttpContext context, string appId) => collections.ServicePrincipalAsync(context, id: null, appId));
        routes.MapGet($"{Prefix}/servicePrincipals/{{id}}/appRoleAssignedTo", (HttpContext context, string id) => collections.AppRoleAssignedToAsync(context, id, appId: null));
        routes.MapGet($"{Prefix}/servicePrincipals(appId='{{appId}}')/appRoleAssignedTo", (HttpContext context, string appId) => collections.AppRoleAssignedToAsync(context, id: null, appId));

        // Graph answers an unknown segment with 400 BadRequest rather than 404.
        routes.Map($"{Prefix}/{{**rest}}", (HttpContext context, string? rest) =>
            GraphErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "BadRequest",
                $"Resource not found for the segment '{rest?.Split('/')[0]}'.", emulator.Time));
    }
}
