using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Http;

/// <summary>
/// The admin HTTP API under <c>/_admin</c> for the CLI and demos: the same changes as the C# admin methods on
/// <see cref="GraphTenant"/> and <see cref="GraphControls"/>, plus fault settings and request counters.
/// Not faulted, not authenticated. Bodies are JSON objects of Graph property names.
/// </summary>
internal static class AdminEndpoints
{
    public const string Prefix = "/_admin";

    public static void Map(IEndpointRouteBuilder routes, GraphEmulatorContext emulator, FaultSettings faults, RequestCounters counters)
    {
        var tenant = emulator.Tenant;
        var admin = routes.MapGroup(Prefix);

        admin.MapGet("/state", () => Json(State(emulator)));

        admin.MapPost("/users", Handler(context => Run(context, async () =>
            Created(tenant.AddUser(await ReadPropertiesAsync(context))))));
        admin.MapPatch("/users/{id}", (HttpContext context, string id) => Run(context, async () =>
        {
            tenant.UpdateUser(id, await ReadPropertiesAsync(context));
            return Results.NoContent();
        }));
        admin.MapPost("/users/{id}/disable", (HttpContext context, string id) => Run(context, () => Done(() => tenant.DisableUser(id))));
        admin.MapPost("/users/{id}/enable", (HttpContext context, string id) => Run(context, () => Done(() => tenant.EnableUser(id))));
        admin.MapPost("/users/{id}/softDelete", (HttpContext context, string id) => Run(context, () => Done(() => tenant.SoftDeleteUser(id))));
        admin.MapPost("/users/{id}/restore", (HttpContext context, string id) => Run(context, () => Done(() => tenant.RestoreUser(id))));
        admin.MapDelete("/users/{id}", (HttpContext context, string id) => Run(context, () => Done(() => tenant.HardDeleteUser(id))));
        admin.MapPut("/users/{id}/manager", (HttpContext context, string id) => Run(context, async () =>
        {
            var body = await ReadPropertiesAsync(context);
            tenant.SetManager(id, body.GetValueOrDefault("managerId") is JsonElement { ValueKind: JsonValueKind.String } manager ? manager.GetString() : null);
            return Results.NoContent();
        }));

        admin.MapPost("/groups", Handler(context => Run(context, async () =>
            Created(tenant.AddGroup(await ReadPropertiesAsync(context))))));
        admin.MapPatch("/groups/{id}", (HttpContext context, string id) => Run(context, async () =>
        {
            tenant.UpdateGroup(id, await ReadPropertiesAsync(context));
            return Results.NoContent();
        }));
        admin.MapDelete("/groups/{id}", (HttpContext context, string id) => Run(context, () => Done(() => tenant.DeleteGroup(id))));
        admin.MapPost("/groups/{id}/softDelete", (HttpContext context, string id) => Run(context, () => Done(() => tenant.SoftDeleteGroup(id))));
        admin.MapPost("/groups/{id}/restore", (HttpContext context, string id) => Run(context, () => Done(() => tenant.RestoreGroup(id))));
        admin.MapPost("/groups/{id}/members/{memberId}", (HttpContext context, string id, string memberId) =>
            Run(context, () => Done(() => tenant.AddMember(id, memberId))));
        admin.MapDelete("/groups/{id}/members/{memberId}", (HttpContext context, string id, string memberId) =>
            Run(context, () => Done(() => tenant.RemoveMember(id, memberId))));

        admin.MapPost("/assignments", Handler(context => Run(context, async () =>
        {
            var body = await ReadPropertiesAsync(context);
            var principal = body.GetValueOrDefault("principalId") is JsonElement { ValueKind: JsonValueKind.String } p ? p.GetString()! : "";
            Guid? role = body.GetValueOrDefault("appRoleId") is JsonElement { ValueKind: JsonValueKind.String } r ? Guid.Parse(r.GetString()!) : null;
            return Created(tenant.Assign(principal, role));
        })));
        admin.MapDelete("/assignments/{principalId}", (HttpContext context, string principalId) => Run(context, () =>
        {
            var role = context.Request.Query["appRoleId"].ToString();
            var removed = tenant.Unassign(principalId, role.Length > 0 ? Guid.Parse(role) : null);
            return Task.FromResult(Json(new JsonObject { ["removed"] = removed }));
        }));

        admin.MapPost("/tokens/expire", () =>
        {
            emulator.Controls.ExpireAllTokens();
            return Results.NoContent();
        });
        admin.MapPut("/tokens/gone", Handler(context => Run(context, async () =>
        {
            var body = await ReadPropertiesAsync(context);
            emulator.Controls.RespondGone = body.GetValueOrDefault("enabled") is JsonElement { ValueKind: JsonValueKind.True };
            return Results.NoContent();
        })));
        admin.MapPut("/access/denied", Handler(context => Run(context, async () =>
        {
            var body = await ReadPropertiesAsync(context);
            emulator.Controls.DeniedPermission = body.GetValueOrDefault("permission") is JsonElement { ValueKind: JsonValueKind.String } p ? p.GetString() : null;
            return Results.NoContent();
        })));

        admin.MapPut("/faults", Handler(context => Run(context, async () =>
        {
            ApplyFaults(faults, await ReadPropertiesAsync(context));
            return Results.NoContent();
        })));
        admin.MapPost("/faults/throttleNext", Handler(context => Run(context, async () =>
        {
            var body = await ReadPropertiesAsync(context);
            faults.ThrottleNext(Int(body, "count") ?? 1, TimeSpan.FromSeconds(Int(body, "retryAfterSeconds") ?? 1));
            return Results.NoContent();
        })));
        admin.MapPost("/faults/failNext", Handler(context => Run(context, async () =>
        {
            var body = await ReadPropertiesAsync(context);
            faults.FailNext(Int(body, "count") ?? 1, Int(body, "status") ?? 503);
            return Results.NoContent();
        })));
        admin.MapDelete("/faults", () =>
        {
            faults.Reset();
            return Results.NoContent();
        });
        admin.MapGet("/counters", () =>
        {
            var result = new JsonObject();
            foreach (var (route, outcomes) in counters.Snapshot().OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                var byOutcome = new JsonObject();
                foreach (var (outcome, count) in outcomes)
                {
                    byOutcome[outcome.ToString()] = count;
                }

                result[route] = byOutcome;
            }

            return Json(result);
        });
    }

    private static void ApplyFaults(FaultSettings faults, Dictionary<string, object?> body)
    {
        foreach (var (name, value) in body)
        {
            var element = (JsonElement)value!;
            switch (name.ToUpperInvariant())
            {
                case "LATENCYMS": faults.Latency = TimeSpan.FromMilliseconds(element.GetDouble()); break;
                case "JITTERMS": faults.Jitter = TimeSpan.FromMilliseconds(element.GetDouble()); break;
                case "REQUESTSPERSECOND": faults.RequestsPerSecond = element.ValueKind == JsonValueKind.Null ? null : element.GetInt32(); break;
                case "SERVERERRORSHARE": faults.ServerErrorShare = element.GetDouble(); break;
                case "HANGSHARE": faults.HangShare = element.GetDouble(); break;
                case "DROPSHARE": faults.DropShare = element.GetDouble(); break;
                case "MALFORMEDSHARE": faults.MalformedShare = element.GetDouble(); break;
                default:
                    throw new GraphTenantException(GraphTenantError.Invalid,
                        $"Unknown fault setting '{name}'; use latencyMs, jitterMs, requestsPerSecond, serverErrorShare, hangShare, dropShare or malformedShare.");
            }
        }
    }

    private static JsonObject State(GraphEmulatorContext emulator)
    {
        var snapshot = emulator.Tenant.Snapshot();
        return new JsonObject
        {
            ["sequence"] = snapshot.Sequence,
            ["users"] = Counts(snapshot.Users),
            ["groups"] = Counts(snapshot.Groups),
            ["assignments"] = snapshot.Assignments.Count,
            ["tokenGeneration"] = emulator.Controls.TokenGeneration,
            ["respondGone"] = emulator.Controls.RespondGone,
            ["deniedPermission"] = emulator.Controls.DeniedPermission,
        };
    }

    private static JsonObject Counts(IReadOnlyList<GraphObjectSnapshot> objects) => new()
    {
        ["active"] = objects.Count(o => o.State == ObjectState.Active),
        ["softDeleted"] = objects.Count(o => o.State == ObjectState.SoftDeleted),
        ["hardDeleted"] = objects.Count(o => o.State == ObjectState.HardDeleted),
    };

    private static async Task<Dictionary<string, object?>> ReadPropertiesAsync(HttpContext context)
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.Body.CanSeek && context.Request.ContentType is null))
        {
            return [];
        }

        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new GraphTenantException(GraphTenantError.Invalid, "The request body must be a JSON object.");
        }

        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.OrdinalIgnoreCase);
    }

    private static async Task<IResult> Run(HttpContext context, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (GraphTenantException error)
        {
            var status = error.Error switch
            {
                GraphTenantError.NotFound => StatusCodes.Status404NotFound,
                GraphTenantError.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            return Json(new JsonObject { ["error"] = error.Message }, status);
        }
        catch (Exception error) when (error is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return Json(new JsonObject { ["error"] = $"{context.Request.Method} {context.Request.Path}: {error.Message}" }, StatusCodes.Status400BadRequest);
        }
    }

    private static Task<IResult> Done(Action action)
    {
        action();
        return Task.FromResult(Results.NoContent());
    }

    private static Task<IResult> Done(Func<bool> action)
    {
        var changed = action();
        return Task.FromResult(Json(new JsonObject { ["changed"] = changed }));
    }

    // A lambda taking only HttpContext would bind as a RequestDelegate and drop the result; as a Func it is a route handler.
    private static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    private static IResult Created(string id) => Json(new JsonObject { ["id"] = id }, StatusCodes.Status201Created);

    private static IResult Json(JsonObject body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), "application/json; charset=utf-8", statusCode: status);

    private static int? Int(Dictionary<string, object?> body, string name) =>
        body.GetValueOrDefault(name) is JsonElement { ValueKind: JsonValueKind.Number } number
            ? number.GetInt32()
            : body.GetValueOrDefault(name) is JsonElement { ValueKind: JsonValueKind.String } text
                ? int.Parse(text.GetString()!, CultureInfo.InvariantCulture)
                : null;
}
