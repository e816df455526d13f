using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ScimSync.Emulators.Graph.Delta;
using ScimSync.Emulators.Graph.Responses;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Http;

/// <summary>
/// <c>GET /users/delta</c> and <c>GET /groups/delta</c> (graph-delta.md §1-3): the initial round, its pages, and
/// incremental rounds from a deltaLink, with tokens that expire and a switchable forced resync.
/// </summary>
internal sealed partial class DeltaEndpoint(GraphEmulatorContext emulator)
{
    // Graph accepts only "id eq '…'" terms joined by "or" in a delta $filter, at most 50 of them.
    private const int MaxFilterIds = 50;

    // graph-delta.md §1: $expand, $top and $orderby are not supported on users/groups delta.
    private static readonly string[] UnsupportedParameters = ["$top", "$orderby", "$search", "$skip", "$count", "$expand"];

    private TimeProvider Time => emulator.Time;

    public async Task HandleAsync(HttpContext context, ObjectType type)
    {
        var resource = type == ObjectType.User ? "users" : "groups";
        var query = context.Request.Query;
        foreach (var parameter in UnsupportedParameters)
        {
            if (query.ContainsKey(parameter))
            {
                await GraphErrors.UnsupportedQuery(context, Time);
                return;
            }
        }

        var deltaToken = query["$deltatoken"].ToString();
        var skipToken = query["$skiptoken"].ToString();
        var latest = string.Equals(deltaToken, "latest", StringComparison.OrdinalIgnoreCase);
        if ((skipToken.Length > 0 || (deltaToken.Length > 0 && !latest)) && emulator.Controls.RespondGone)
        {
            await RespondGoneAsync(context, resource, deltaToken.Length > 0 ? deltaToken : skipToken);
            return;
        }

        DeltaState? state;
        if (skipToken.Length > 0)
        {
            if (query.ContainsKey("$select"))
            {
                await GraphErrors.UnsupportedQuery(context, Time, "$select is not supported together with $skiptoken; follow the nextLink as given.");
                return;
            }

            state = await ReadTokenAsync(context, skipToken, "s", resource);
            if (state is null)
            {
                return;
            }
        }
        else if (deltaToken.Length > 0 && !latest)
        {
            var token = await ReadTokenAsync(context, deltaToken, "d", resource);
            if (token is null)
            {
                return;
            }

            lock (emulator.Tenant.Gate)
            {
                state = token with { Kind = "s", Until = emulator.Replica.VisibleSequence(), After = 0, MemberAfter = null };
            }
        }
        else
        {
            state = await ReadInitialQueryAsync(context, type, resource);
            if (state is null)
            {
                return;
            }

            if (latest)
            {
                await WriteLatestAsync(context, state);
                return;
            }
        }

        await WritePageAsync(context, type, state);
    }

    private async Task<DeltaState?> ReadInitialQueryAsync(HttpContext context, ObjectType type, string resource)
    {
        var query = context.Request.Query;
        var projection = Projection.Parse(type, query["$select"].ToString(), out var selectError);
        if (projection is null)
        {
            await GraphErrors.BadRequest(context, selectError!, Time);
            return null;
        }

        List<string>? ids = null;
        var filter = query["$filter"].ToString();
        if (filter.Length > 0)
        {
            ids = ParseIdFilter(filter);
            if (ids is null)
            {
                await GraphErrors.UnsupportedQuery(context, Time);
                return null;
            }
        }

        lock (emulator.Tenant.Gate)
        {
            var sequence = emulator.Replica.VisibleSequence();
            return new DeltaState
            {
                Kind = "s",
                Resource = resource,
                Select = projection.Selected?.ToList(),
                Ids = ids,
                Since = 0,
                Until = sequence,
            };
        }
    }

    private static List<string>? ParseIdFilter(string filter)
    {
        var ids = new List<string>();
        foreach (var term in OrSeparator().Split(filter.Trim()))
        {
            var match = IdEquals().Match(term.Trim());
            if (!match.Success)
            {
                return null;
            }

            ids.Add(match.Groups["id"].Value);
        }

        return ids.Count is > 0 and <= MaxFilterIds ? ids : null;
    }

    private async Task<DeltaState?> ReadTokenAsync(HttpContext context, string token, string kind, string resource)
    {
        var state = OpaqueToken.Decode(token, GraphJsonContext.Default.DeltaState);
        if (state is null || state.Kind != kind || state.Resource != resource)
        {
            await GraphErrors.BadRequest(context, $"The {(kind == "d" ? "delta" : "skip")} token is not valid for {resource}/delta.", Time);
            return null;
        }

        var issued = DateTimeOffset.FromUnixTimeMilliseconds(state.Issued);
        var expired = kind == "d" && Time.GetUtcNow() - issued > emulator.Options.DeltaTokenLifetime;
        if (expired || state.Generation != emulator.Controls.TokenGeneration)
        {
            await GraphErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "syncStateNotFound",
                "The sync state generation is not found. The delta token is expired and data must be synchronized again.", Time);
            return null;
        }

        return state;
    }

    private async Task RespondGoneAsync(HttpContext context, string resource, string token)
    {
        var state = OpaqueToken.Decode(token, GraphJsonContext.Default.DeltaState);
        var select = state?.Select is { Count: > 0 } list ? $"$select={string.Join(',', list)}&" : "";
        context.Response.Headers.Location = $"{BaseUrl(context)}/{resource}/delta?{select}$deltatoken=";
        await GraphErrors.WriteAsync(context, StatusCodes.Status410Gone, "resyncRequired",
            "The delta token is no longer valid; the application must reset its sync state and synchronize again from the Location given.", Time);
    }

    private async Task WriteLatestAsync(HttpContext context, DeltaState state)
    {
        var delta = DeltaLink(context, state, state.Until);
        await WriteResponseAsync(context, state, nextLink: null, delta, value: "[]"u8.ToArray());
    }

    private async Task WritePageAsync(HttpContext context, ObjectType type, DeltaState state)
    {
        var projection = Projection.FromList(type, state.Select, out _)!;
        var pageSize = PageSize(context, state, type);
        var minimal = Prefers(context, "return=minimal");
        var options = emulator.Options;
        var random = new Random(PageSeed(state));
        var limits = new DeltaPageLimits(
            options.VaryPageSizes ? 1 + random.Next(pageSize) : pageSize,
            options.VaryPageSizes ? 1 + random.Next(options.MembersPerPage) : options.MembersPerPage,
            minimal || options.SendChangedPropertiesOnly,
            options.ReportDeletedInInitialRound)
        {
            RemovedMembersInInitialRound = options.ReportRemovedMembersInInitialRound,
            RepeatObjects = options.RepeatObjects,
            Shuffle = options.ShuffleOrder ? random : null,
        };

        var buffer = new ArrayBufferWriter<byte>();
        DeltaState? next;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            if (emulator.Options.StartRoundsWithEmptyPage && !state.EmptyPageSent)
            {
                next = state with { EmptyPageSent = true };
            }
            else
            {
                lock (emulator.Tenant.Gate)
                {
                    next = new DeltaPageWriter(emulator.Tenant, state, projection, limits).Write(writer);
                }
            }

            writer.WriteEndArray();
        }

        if (minimal)
        {
            context.Response.Headers.Append("Preference-Applied", "return=minimal");
        }

        string? nextLink = null, deltaLink = null;
        if (next is not null)
        {
            var token = OpaqueToken.Encode(next with { PageSize = pageSize, Issued = Now(), Generation = emulator.Controls.TokenGeneration },
                GraphJsonContext.Default.DeltaState);
            nextLink = $"{BaseUrl(context)}/{state.Resource}/delta?$skiptoken={token}";
        }
        else
        {
            deltaLink = DeltaLink(context, state, state.Until);
        }

        await WriteResponseAsync(context, state, nextLink, deltaLink, buffer.WrittenMemory.ToArray());
    }

    private string DeltaLink(HttpContext context, DeltaState state, long since)
    {
        var token = OpaqueToken.Encode(new DeltaState
        {
            Kind = "d",
            Resource = state.Resource,
            Select = state.Select,
            Ids = state.Ids,
            Since = since,
            PageSize = state.PageSize,
            Issued = Now(),
            Generation = emulator.Controls.TokenGeneration,
        }, GraphJsonContext.Default.DeltaState);
        return $"{BaseUrl(context)}/{state.Resource}/delta?$deltatoken={token}";
    }

    private static async Task WriteResponseAsync(HttpContext context, DeltaState state, string? nextLink, string? deltaLink, byte[] value)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = GraphErrors.ContentType;
        var selectSuffix = state.Select is { Count: > 0 } select ? $"({string.Join(',', select)})" : "";
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", $"{BaseUrl(context)}/$metadata#{state.Resource}{selectSuffix}");
            if (nextLink is not null)
            {
                writer.WriteString("@odata.nextLink", nextLink);
            }

            if (deltaLink is not null)
            {
                writer.WriteString("@odata.deltaLink", deltaLink);
            }

            writer.WritePropertyName("value");
            writer.WriteRawValue(value, skipInputValidation: true);
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(body.ToArray(), context.RequestAborted);
    }

    private int PageSize(HttpContext context, DeltaState state, ObjectType type)
    {
        var options = emulator.Options;
        foreach (var value in context.Request.Headers["Prefer"])
        {
            foreach (var preference in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (preference.StartsWith("odata.maxpagesize=", StringComparison.OrdinalIgnoreCase) &&
                    int.TryParse(preference.AsSpan("odata.maxpagesize=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var requested) &&
                    requested > 0)
                {
                    var applied = Math.Min(requested, options.MaxPageSize);
                    context.Response.Headers.Append("Preference-Applied", $"odata.maxpagesize={applied}");
                    return applied;
                }
            }
        }

        return state.PageSize ?? (type == ObjectType.User ? options.UserPageSize : options.GroupPageSize);
    }

    private static bool Prefers(HttpContext context, string preference) =>
        context.Request.Headers["Prefer"].Any(value =>
            (value ?? "").Split(',', StringSplitOptions.TrimEntries).Contains(preference, StringComparer.OrdinalIgnoreCase));

    private long Now() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    // The same page of the same round is disordered and sized the same way each time it is fetched.
    private int PageSeed(DeltaState state)
    {
        unchecked
        {
            var seed = (long)emulator.Options.RandomSeed;
            foreach (var part in (long[])[state.Since, state.Until, state.After, state.MemberAfter ?? -1])
            {
                seed = seed * 1_000_003 + part;
            }

            return (int)(seed ^ (seed >> 32));
        }
    }

    internal static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}/v1.0";

    [GeneratedRegex(@"\s+or\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OrSeparator();

    [GeneratedRegex(@"^\(?\s*id\s+eq\s+'(?<id>[^']+)'\s*\)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IdEquals();
}
