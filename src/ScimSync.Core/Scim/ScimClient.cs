using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim.Http;
using ScimSync.Core.Scim.Profiles;

namespace ScimSync.Core.Scim;

/// <summary>
/// A SCIM 2.0 client for one job's target: users and groups, list paging, matching, PATCH in the profile's
/// spelling, member batches, connection test and discovery. Created by <see cref="ScimClientFactory"/> over the
/// <c>ScimSync.Scim</c> HTTP client (one resilience handler, then the job's rate limiter, then its bearer token).
/// Every failure is a <see cref="ScimException"/>.
/// </summary>
public sealed class ScimClient
{
    /// <summary>The name of the HTTP client registered by <c>AddScimClient</c>.</summary>
    public const string HttpClientName = "ScimSync.Scim";

    private static readonly MediaTypeHeaderValue ScimJson = MediaTypeHeaderValue.Parse("application/scim+json; charset=utf-8");

    private readonly HttpClient _http;
    private readonly ScimRequestContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _writes;

    internal ScimClient(
        HttpClient http, JobId job, ScimTargetOptions target, ScimTargetProfile profile, double requestsPerSecond,
        TimeProvider time, ILogger logger, ScimServiceProviderCapabilities? capabilities = null)
    {
        _http = http;
        _time = time;
        _logger = logger;
        Target = target;
        Profile = profile;
        Capabilities = capabilities ?? ScimServiceProviderCapabilities.Assumed;
        _context = new ScimRequestContext(job, target.TokenSetting!, requestsPerSecond);
    }

    public JobId Job => _context.Job;

    public ScimTargetOptions Target { get; }

    /// <summary>The largest answer the client reads from a target; the HTTP client refuses to buffer more.</summary>
    public const int MaxResponseBytes = 32 * 1024 * 1024;

    public ScimTargetProfile Profile { get; }

    /// <summary>What the target offers; <see cref="ScimServiceProviderCapabilities.Assumed"/> until <see cref="DiscoverAsync"/> runs.</summary>
    public ScimServiceProviderCapabilities Capabilities { get; private set; }

    /// <summary>The page size used for lists: the profile's, lowered to the target's <c>filter.maxResults</c>.</summary>
    public int PageSize => Math.Max(1, Math.Min(Profile.PageSize, Capabilities.MaxResults ?? int.MaxValue));

    /// <summary>Reads one resource by id.</summary>
    /// <exception cref="ScimException">NotFound when it does not exist (or, in Atlassian, was deleted).</exception>
    public async Task<ScimResource> GetAsync(ObjectKind kind, TargetId id, CancellationToken cancellationToken = default)
    {
        var path = $"{Endpoint(kind)}/{Uri.EscapeDataString(id.Value)}";
        var body = await SendForBodyAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return ToResource(kind, body!.Value, HttpMethod.Get, path);
    }

    /// <summary>Every resource of a kind (optionally matching a SCIM filter), page by page (startIndex/count).</summary>
    public async IAsyncEnumerable<ScimResource> ListAsync(
        ObjectKind kind, string? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var startIndex = 1;
        while (true)
        {
            var query = $"startIndex={startIndex}&count={PageSize}";
            if (filter is not null)
            {
                query += "&filter=" + Uri.EscapeDataString(filter);
            }

            if (kind == ObjectKind.Group && Profile.ExcludesMembersOnGroupReads)
            {
                query += "&excludedAttributes=members";
            }

            var path = $"{Endpoint(kind)}?{query}";
            var page = await SendForBodyAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            var list = Deserialize(page!.Value, ScimJsonContext.Wire.ScimListResponse, HttpMethod.Get, path);
            var resources = list.Resources ?? [];
            if (list.StartIndex is { } answered && answered != startIndex && resources.Count > 0)
            {
                // Paging on would repeat or skip resources; matching and drift detection would be wrong.
                throw Unreadable(HttpMethod.Get, Endpoint(kind), $"asked for startIndex {startIndex}, the target answered with startIndex {answered}; it does not page as RFC 7644 §3.4.2.4 requires");
            }

            foreach (var resource in resources)
            {
                yield return ToResource(kind, resource, HttpMethod.Get, path);
            }

            startIndex += resources.Count;
            if (resources.Count == 0 || startIndex > list.TotalResults)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// One page of a kind's resources exactly as the target answered it, with the totals and start index it claimed:
    /// for a reader that judges the paging itself (the drift scan) rather than trusting it.
    /// </summary>
    public async Task<ScimListPage> ReadPageAsync(ObjectKind kind, int startIndex, int count, CancellationToken cancellationToken = default)
    {
        var query = $"startIndex={startIndex}&count={count}";
        if (kind == ObjectKind.Group && Profile.ExcludesMembersOnGroupReads)
        {
            query += "&excludedAttributes=members";
        }

        var path = $"{Endpoint(kind)}?{query}";
        var page = await SendForBodyAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        var list = Deserialize(page!.Value, ScimJsonContext.Wire.ScimListResponse, HttpMethod.Get, path);
        var resources = (list.Resources ?? []).Select(resource => ToResource(kind, resource, HttpMethod.Get, path)).ToList();
        return new ScimListPage(resources, list.TotalResults, list.StartIndex);
    }

    /// <summary>
    /// The resources whose <paramref name="attribute"/> equals <paramref name="value"/>: a server-side
    /// <c>eq</c> filter, or, when the target does not support filters, a full list matched here (case-insensitive
    /// except for <c>id</c> and <c>externalId</c>).
    /// </summary>
    public async Task<IReadOnlyList<ScimResource>> FindAsync(ObjectKind kind, string attribute, string value, CancellationToken cancellationToken = default)
    {
        var found = new List<ScimResource>();
        if (Capabilities.FilterSupported)
        {
            await foreach (var resource in ListAsync(kind, ScimFilter.Equal(attribute, value), cancellationToken).ConfigureAwait(false))
            {
                found.Add(resource);
            }

            return found;
        }

        var comparison = attribute is "id" or "externalId" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        await foreach (var resource in ListAsync(kind, null, cancellationToken).ConfigureAwait(false))
        {
            if (resource.Attributes[attribute] is { ValueKind: JsonValueKind.String } candidate
                && string.Equals(candidate.GetString(), value, comparison))
            {
                found.Add(resource);
            }
        }

        return found;
    }

    /// <summary>Creates a resource (POST). Groups are created with whatever members the attributes hold; pass none.</summary>
    /// <exception cref="ScimException">
    /// Conflict when it exists already; <see cref="ScimException.OutcomeUnknown"/> when it may have been created
    /// although no answer said so. <see cref="CreateOrAdoptAsync"/> resolves both by re-matching.
    /// </exception>
    public async Task<ScimResource> CreateAsync(ObjectKind kind, ScimAttributes attributes, CancellationToken cancellationToken = default)
    {
        var path = Endpoint(kind);
        var content = JsonContent.Create(ScimResourceBody.Build(kind, attributes), ScimJsonContext.Wire.JsonObject, ScimJson);
        var body = await SendForBodyAsync(HttpMethod.Post, path, content, cancellationToken).ConfigureAwait(false)
                   ?? throw Unreadable(HttpMethod.Post, path, "the target answered a create without the created resource");
        return ToResource(kind, body, HttpMethod.Post, path);
    }

    /// <summary>
    /// Creates a resource, or adopts the one that exists already: when the POST fails with 409, or its outcome is
    /// unknown (timeout, dropped connection, 5xx), the resource is re-matched on the profile's match attribute
    /// and, if exactly one is found, returned as adopted. Zero matches rethrow the original error; several throw
    /// a Conflict naming the duplicates (Entra's DuplicateTargetEntries).
    /// </summary>
    public async Task<ScimCreateResult> CreateOrAdoptAsync(ObjectKind kind, ScimAttributes attributes, CancellationToken cancellationToken = default)
    {
        var matchAttribute = Profile.MatchAttributeFor(kind);
        var matchValue = attributes[matchAttribute] is { ValueKind: JsonValueKind.String } value ? value.GetString()! : null;
        if (string.IsNullOrEmpty(matchValue))
        {
            throw new ArgumentException($"The {kind} has no '{matchAttribute}' to match on; the {Profile.Name} profile matches {kind}s on it.", nameof(attributes));
        }

        try
        {
            return new ScimCreateResult(await CreateAsync(kind, attributes, cancellationToken).ConfigureAwait(false), Adopted: false);
        }
        catch (ScimException error) when (error.Classification == ScimErrorClassification.Conflict || error.OutcomeUnknown)
        {
            var found = await FindAsync(kind, matchAttribute, matchValue, cancellationToken).ConfigureAwait(false);
            if (found.Count == 1)
            {
                ScimClientLog.Adopted(_logger, kind, Job.Value, error.OutcomeUnknown ? "of unknown outcome" : "a conflict", found[0].Id.Value, matchAttribute);
                return new ScimCreateResult(found[0], Adopted: true);
            }

            if (found.Count > 1)
            {
                throw new ScimException(
                    ScimErrorClassification.Conflict, "GET", Endpoint(kind), HttpStatusCode.Conflict, "DuplicateTargetEntries",
                    $"{found.Count} {kind}s in the target match {matchAttribute}; ScimSync adopts only a single match " +
                    $"(ids {string.Join(", ", found.Select(r => r.Id.Value))}).",
                    error.TraceId, innerException: error);
            }

            throw;
        }
    }

    /// <summary>
    /// Takes a resource from <paramref name="applied"/> to <paramref name="desired"/>: a minimal PATCH in the
    /// profile's spelling, or a full PUT of <paramref name="desired"/> when the target does not support PATCH.
    /// Returns null when nothing differs (no request) or the target answered 204.
    /// </summary>
    public async Task<ScimResource?> UpdateAsync(
        ObjectKind kind, TargetId id, ScimAttributes applied, ScimAttributes desired, CancellationToken cancellationToken = default)
    {
        var operations = ScimPatchBuilder.Build(applied, desired, Profile.Patch);
        if (operations.Count == 0)
        {
            return null;
        }

        var answered = Capabilities.PatchSupported
            ? await PatchAsync(kind, id, operations, cancellationToken).ConfigureAwait(false)
            : await ReplaceAsync(kind, id, desired, cancellationToken).ConfigureAwait(false);

        // The read-back sample: the resource as the target holds it replaces its own answer, so the caller's check sees the truth.
        return ReadBackDue() ? await GetAsync(kind, id, cancellationToken).ConfigureAwait(false) : answered;
    }

    /// <summary>True for every Nth write of this job's client when <see cref="ScimTargetOptions.ReadBackEvery"/> is N; never when it is 0.</summary>
    private bool ReadBackDue() => Target.ReadBackEvery > 0 && Interlocked.Increment(ref _writes) % Target.ReadBackEvery == 0;

    /// <summary>Sends PATCH operations; returns the resource when the target answers with it (200), null on 204.</summary>
    public async Task<ScimResource?> PatchAsync(
        ObjectKind kind, TargetId id, IReadOnlyList<ScimPatchOperation> operations, CancellationToken cancellationToken = default)
    {
        var path = $"{Endpoint(kind)}/{Uri.EscapeDataString(id.Value)}";
        var content = JsonContent.Create(ScimPatchRequest.Of(operations), ScimJsonContext.Wire.ScimPatchRequest, ScimJson);
        var body = await SendForBodyAsync(HttpMethod.Patch, path, content, cancellationToken).ConfigureAwait(false);
        return body is { } resource ? ToResource(kind, resource, HttpMethod.Patch, path) : null;
    }

    /// <summary>Replaces a resource (PUT): attributes not given are cleared by the target.</summary>
    public async Task<ScimResource> ReplaceAsync(ObjectKind kind, TargetId id, ScimAttributes attributes, CancellationToken cancellationToken = default)
    {
        var path = $"{Endpoint(kind)}/{Uri.EscapeDataString(id.Value)}";
        var document = ScimResourceBody.Build(kind, attributes);
        document["id"] = id.Value;
        return await PutAsync(kind, path, document, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets a user's <c>active</c> flag (deprovisioning by disabling, or reactivating).</summary>
    public Task<ScimResource?> SetActiveAsync(TargetId userId, bool active, CancellationToken cancellationToken = default) =>
        PatchAsync(
            ObjectKind.User, userId,
            [new ScimPatchOperation(Profile.Patch.Replace, "active", JsonSerializer.SerializeToElement(active, ScimJsonContext.Wire.Boolean))],
            cancellationToken);

    /// <summary>Deletes a resource. In Atlassian Cloud this cannot be undone: prefer <see cref="SetActiveAsync"/>.</summary>
    public async Task DeleteAsync(ObjectKind kind, TargetId id, CancellationToken cancellationToken = default)
    {
        var path = $"{Endpoint(kind)}/{Uri.EscapeDataString(id.Value)}";
        await SendForBodyAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds members to a group in PATCHes of the profile's batch size. <paramref name="onBatchApplied"/> hears of
    /// each batch the target accepted, so a failure part-way leaves a record of what was applied. A PATCH answered 204
    /// No Content is read back, and only the members the group then shows are reported applied.
    /// </summary>
    public Task AddMembersAsync(
        TargetId groupId, IEnumerable<TargetId> members,
        Func<IReadOnlyList<TargetId>, CancellationToken, Task>? onBatchApplied = null, CancellationToken cancellationToken = default) =>
        ChangeMembersAsync(groupId, members, add: true, onBatchApplied, cancellationToken);

    /// <summary>
    /// Removes members from a group in PATCHes of the profile's batch size. As for <see cref="AddMembersAsync"/>, a
    /// PATCH answered 204 is read back, and <paramref name="onBatchApplied"/> gets only the members the group shows removed.
    /// </summary>
    public Task RemoveMembersAsync(
        TargetId groupId, IEnumerable<TargetId> members,
        Func<IReadOnlyList<TargetId>, CancellationToken, Task>? onBatchApplied = null, CancellationToken cancellationToken = default) =>
        ChangeMembersAsync(groupId, members, add: false, onBatchApplied, cancellationToken);

    /// <summary>
    /// Entra's test: <c>GET /Users?filter=userName eq "&lt;random guid&gt;"</c> must answer 200 with an empty list.
    /// Never throws for target errors; the result says what went wrong.
    /// </summary>
    public async Task<ScimConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default)
    {
        var filter = ScimFilter.Equal(Profile.UserMatchAttribute, Guid.NewGuid().ToString());
        var path = $"{Endpoint(ObjectKind.User)}?filter={Uri.EscapeDataString(filter)}&startIndex=1&count=1";
        try
        {
            var body = await SendForBodyAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            var list = Deserialize(body!.Value, ScimJsonContext.Wire.ScimListResponse, HttpMethod.Get, path);
            if (list.TotalResults != 0 || list.Resources is { Count: > 0 })
            {
                return new ScimConnectionTestResult(
                    false, HttpStatusCode.OK, ScimErrorClassification.Invalid,
                    $"The target returned {Math.Max(list.TotalResults, list.Resources?.Count ?? 0)} users for a {Profile.UserMatchAttribute} that cannot exist; " +
                    $"it does not filter on {Profile.UserMatchAttribute}, so matching would adopt the wrong accounts.", null);
            }

            return ScimConnectionTestResult.Success(HttpStatusCode.OK);
        }
        catch (ScimException error)
        {
            return new ScimConnectionTestResult(false, error.Status, error.Classification, ReasonFor(error), error.TraceId);
        }
    }

    /// <summary>
    /// Reads /ServiceProviderConfig, /ResourceTypes and /Schemas and adopts what they say (see
    /// <see cref="ScimServiceProviderCapabilities"/>). An endpoint the target lacks (404, 501) leaves the
    /// assumption for that part in place.
    /// </summary>
    public async Task<ScimServiceProviderCapabilities> DiscoverAsync(CancellationToken cancellationToken = default)
    {
        var config = await TryReadAsync("ServiceProviderConfig", cancellationToken).ConfigureAwait(false);
        var types = await TryReadAsync("ResourceTypes", cancellationToken).ConfigureAwait(false);
        var schemas = await TryReadAsync("Schemas", cancellationToken).ConfigureAwait(false);

        var capabilities = ScimServiceProviderCapabilities.Assumed;
        if (config is { ValueKind: JsonValueKind.Object } configBody)
        {
            var parsed = Deserialize(configBody, ScimJsonContext.Wire.ScimServiceProviderConfigBody, HttpMethod.Get, "ServiceProviderConfig");
            capabilities = capabilities with
            {
                PatchSupported = parsed.Patch?.Supported ?? true,
                FilterSupported = parsed.Filter?.Supported ?? true,
                // RFC 7643 §5 puts maxResults under "filter", but it bounds any query response, filtered or not.
                MaxResults = parsed.Filter is { MaxResults: > 0 } ? parsed.Filter.MaxResults : null,
            };
        }

        if (types is { } typesBody)
        {
            var endpoints = ListItems(typesBody)
                .Select(item => Deserialize(item, ScimJsonContext.Wire.ScimResourceTypeBody, HttpMethod.Get, "ResourceTypes").Endpoint)
                .OfType<string>()
                .Select(endpoint => endpoint.Trim('/'))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            capabilities = capabilities with { ResourceEndpoints = endpoints.Count > 0 ? endpoints : null };
        }

        if (schemas is { } schemasBody)
        {
            var ids = ListItems(schemasBody)
                .Select(item => Deserialize(item, ScimJsonContext.Wire.ScimSchemaBody, HttpMethod.Get, "Schemas").Id)
                .OfType<string>()
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            capabilities = capabilities with { SchemaIds = ids.Count > 0 ? ids : null };
        }

        Capabilities = capabilities;
        ScimClientLog.Discovered(_logger, Job.Value, capabilities.PatchSupported, capabilities.FilterSupported, capabilities.MaxResults);
        return capabilities;
    }

    private async Task ChangeMembersAsync(
        TargetId groupId, IEnumerable<TargetId> members, bool add,
        Func<IReadOnlyList<TargetId>, CancellationToken, Task>? onBatchApplied, CancellationToken cancellationToken)
    {
        var batches = members.Distinct().Chunk(Profile.MemberBatchSize).ToList();
        foreach (var batch in batches)
        {
            var kept = batch;
            if (Capabilities.PatchSupported)
            {
                var request = add
                    ? ScimPatchBuilder.AddMembers(batch, Profile.Patch, Profile.MemberBatchSize).Single()
                    : ScimPatchBuilder.RemoveMembers(batch, Profile.Patch, Profile.MemberBatchSize).Single();
                if (await PatchAsync(ObjectKind.Group, groupId, request.Operations, cancellationToken).ConfigureAwait(false) is null | ReadBackDue())
                {
                    // 204 No Content is a claim without evidence (and a sampled write is checked too): only the members the group now shows count as applied.
                    var shown = (await GetAsync(ObjectKind.Group, groupId, cancellationToken).ConfigureAwait(false)).Members.ToHashSet();
                    kept = [.. batch.Where(id => shown.Contains(id) == add)];
                }
            }
            else
            {
                await ReplaceMembersAsync(groupId, batch, add, cancellationToken).ConfigureAwait(false);
            }

            if (onBatchApplied is not null && kept.Length > 0)
            {
                await onBatchApplied(kept, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Without PATCH, membership changes are a read of the group and a PUT of its full member list.
    private async Task ReplaceMembersAsync(TargetId groupId, IReadOnlyList<TargetId> batch, bool add, CancellationToken cancellationToken)
    {
        var group = await GetAsync(ObjectKind.Group, groupId, cancellationToken).ConfigureAwait(false);
        var members = group.Members.ToList();
        if (add)
        {
            members.AddRange(batch.Where(id => !members.Contains(id)));
        }
        else
        {
            members.RemoveAll(batch.Contains);
        }

        var document = ScimResourceBody.Build(ObjectKind.Group, group.Attributes);
        document["id"] = groupId.Value;
        document["members"] = new JsonArray(members.Select(id => (JsonNode?)new JsonObject { ["value"] = id.Value }).ToArray());
        await PutAsync(ObjectKind.Group, $"{Endpoint(ObjectKind.Group)}/{Uri.EscapeDataString(groupId.Value)}", document, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ScimResource> PutAsync(ObjectKind kind, string path, JsonObject document, CancellationToken cancellationToken)
    {
        var content = JsonContent.Create(document, ScimJsonContext.Wire.JsonObject, ScimJson);
        var body = await SendForBodyAsync(HttpMethod.Put, path, content, cancellationToken).ConfigureAwait(false)
                   ?? throw Unreadable(HttpMethod.Put, path, "the target answered a replace without the resource");
        return ToResource(kind, body, HttpMethod.Put, path);
    }

    private async Task<JsonElement?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await SendForBodyAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ScimException error) when (error.Status is HttpStatusCode.NotFound or HttpStatusCode.NotImplemented
                                              or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest)
        {
            return null;
        }
    }

    private static List<JsonElement> ListItems(JsonElement body) => body.ValueKind switch
    {
        JsonValueKind.Array => body.EnumerateArray().ToList(),
        JsonValueKind.Object when body.TryGetProperty("Resources", out var resources) && resources.ValueKind == JsonValueKind.Array =>
            resources.EnumerateArray().ToList(),
        _ => [],
    };

    private string Endpoint(ObjectKind kind)
    {
        var endpoint = kind switch
        {
            ObjectKind.User => "Users",
            ObjectKind.Group => "Groups",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown object kind."),
        };
        if (!Capabilities.Offers(endpoint))
        {
            throw new ScimException(
                ScimErrorClassification.Invalid, "-", endpoint, null, null,
                $"The target's /ResourceTypes does not offer {endpoint}; ScimSync cannot provision {kind}s to it.", null);
        }

        return endpoint;
    }

    private async Task<JsonElement?> SendForBodyAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.ParseAdd("application/scim+json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Options.Set(ScimRequestContext.Key, _context);
        var logPath = path.Split('?')[0];

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (ScimException error) when (error.Method == "-")
        {
            // Raised before sending (e.g. the token setting is empty): say which call it stopped.
            throw Log(new ScimException(
                error.Classification, method.Method, logPath, error.Status, error.ScimType, error.Detail, error.TraceId, innerException: error));
        }
        catch (TimeoutRejectedException error)
        {
            throw Log(new ScimException(
                ScimErrorClassification.Transient, method.Method, logPath, null, null,
                $"The target did not answer within {error.Timeout.TotalSeconds:0.###} s.", null,
                outcomeUnknown: method == HttpMethod.Post, innerException: error));
        }
        catch (BrokenCircuitException error)
        {
            throw Log(new ScimException(
                ScimErrorClassification.Transient, method.Method, logPath, null, null,
                "Requests to the target are paused after repeated server failures; they resume automatically.", null,
                innerException: error));
        }
        catch (RateLimiterRejectedException error)
        {
            throw Log(new ScimException(
                ScimErrorClassification.Transient, method.Method, logPath, null, null,
                "Too many SCIM requests are in flight in this process.", null, innerException: error));
        }
        catch (HttpRequestException error) when (error.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            // Never buffered whole: a SCIM answer is one resource or one page of them.
            throw Log(new ScimException(
                ScimErrorClassification.Invalid, method.Method, logPath, null, "responseTooLarge",
                $"The target's answer is larger than {MaxResponseBytes / (1024 * 1024)} MB, far more than a SCIM resource or page; ScimSync does not read it.", null,
                outcomeUnknown: method == HttpMethod.Post, innerException: error));
        }
        catch (HttpRequestException error)
        {
            var neverSent = error.HttpRequestError == HttpRequestError.ConnectionError;
            throw Log(new ScimException(
                ScimErrorClassification.Transient, method.Method, logPath, null, null,
                $"The connection to the target failed ({error.HttpRequestError}): {error.Message}", null,
                outcomeUnknown: method == HttpMethod.Post && !neverSent, innerException: error));
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw Log(new ScimException(
                ScimErrorClassification.Transient, method.Method, logPath, null, null,
                "The request to the target timed out.", null, outcomeUnknown: method == HttpMethod.Post, innerException: error));
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var (scimType, detail, traceId) = ScimErrorReader.Read(text, response.Headers, response.RequestMessage?.Headers.Authorization?.Parameter);
                var status = response.StatusCode;
                if ((int)status is >= 300 and < 400)
                {
                    detail = $"The target redirected the request to {response.Headers.Location?.GetLeftPart(UriPartial.Path) ?? "another address"}. " +
                        "ScimSync does not follow redirects: the request, its body and its credential would go to an address the job does not name. " +
                        $"If the target moved, set the job's target.baseUrl to its new address.";
                }

                var retryAfter = ScimRetryRules.ServerRequestedDelay(response, _time);
                throw Log(new ScimException(
                    ScimException.Classify(status), method.Method, logPath, status, scimType, detail ?? response.ReasonPhrase, traceId,
                    outcomeUnknown: method == HttpMethod.Post && (int)status is 500 or 502 or 504)
                {
                    RetryAfter = retryAfter,
                });
            }

            ScimClientLog.Answered(_logger, method.Method, logPath, response.StatusCode, Job.Value);
            if (response.StatusCode == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException error)
            {
                // A cut-off body is a transport failure: the call itself may well have succeeded.
                throw Log(new ScimException(
                    ScimErrorClassification.Transient, method.Method, logPath, response.StatusCode, "unreadableResponse",
                    $"The target's answer is not valid JSON ({error.Message}).", null,
                    outcomeUnknown: method == HttpMethod.Post, innerException: error));
            }
        }
    }

    private ScimException Log(ScimException error)
    {
        ScimClientLog.Failed(_logger, error.Method, error.Path, Job.Value, error.Classification, error.Status, error.ScimType, error.TraceId);
        return error;
    }

    private static ScimResource ToResource(ObjectKind kind, JsonElement body, HttpMethod method, string path)
    {
        try
        {
            return ScimResource.From(kind, body);
        }
        catch (FormatException error)
        {
            throw Unreadable(method, path.Split('?')[0], error.Message);
        }
    }

    private static T Deserialize<T>(JsonElement body, JsonTypeInfo<T> type, HttpMethod method, string path)
    {
        try
        {
            return body.Deserialize(type) ?? throw new JsonException("empty");
        }
        catch (JsonException error)
        {
            throw Unreadable(method, path.Split('?')[0], $"the answer is not a valid {typeof(T).Name.Replace("Body", string.Empty, StringComparison.Ordinal)} ({error.Message})");
        }
    }

    private static ScimException Unreadable(HttpMethod method, string path, string detail) =>
        new(ScimErrorClassification.Invalid, method.Method, path, null, "unreadableResponse", $"The target's answer could not be read: {detail}.", null);

    private string ReasonFor(ScimException error) => error.Classification switch
    {
        ScimErrorClassification.Unauthorized =>
            $"The target refused the token from app setting '{Target.TokenSetting}' ({(int?)error.Status}). " +
            "Check that it is the directory's SCIM API key (not an organization API key) and has not been regenerated." +
            (error.Detail is null ? string.Empty : $" Target said: {error.Detail}"),
        ScimErrorClassification.NotFound =>
            $"The target has no SCIM Users endpoint at {Target.BaseUrl} (404). Check the base URL (for Atlassian: https://api.atlassian.com/scim/directory/<directoryId>)." +
            (error.Detail is null ? string.Empty : $" Target said: {error.Detail}"),
        ScimErrorClassification.Transient =>
            $"The target is unreachable or busy: {error.Detail ?? error.Status?.ToString()}. Try again later.",
        _ => $"The target rejected the test query ({(int?)error.Status} {error.ScimType}): {error.Detail}",
    };
}
