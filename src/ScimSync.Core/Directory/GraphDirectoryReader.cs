using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace ScimSync.Core.Directory;

/// <summary>
/// Reads user and group changes from Microsoft Graph delta queries, page by page.
/// </summary>
/// <remarks>
/// Requests are built with the SDK's request builders (<c>Users.Delta</c>, <c>WithUrl</c> for the nextLinks and
/// deltaLinks, which are followed verbatim) and sent through the SDK's pipeline (auth, retry on 429/503/504, redirects).
/// The body is read as raw JSON rather than the SDK's typed <c>DeltaGetResponse</c>, because <c>members@delta</c> and
/// <c>@removed</c> have no typed properties and some SDK versions lose <c>members@delta</c> (msgraph-sdk-dotnet #3102),
/// and because the source object keeps Graph's attributes as JSON anyway. Only one page is held at a time.
/// </remarks>
public sealed partial class GraphDirectoryReader(GraphServiceClient client, ILogger<GraphDirectoryReader> logger)
{
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new()
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    /// <summary>
    /// Reads one round: every page from the stored deltaLink (or from scratch) to the next deltaLink. Each page becomes
    /// one batch; the last batch carries <see cref="DirectoryChangeBatch.End"/>: the new deltaLink, or that a full
    /// resync is needed (expired token, 410 Gone). A round that is not enumerated to its end yields no deltaLink, so
    /// the caller never saves a watermark past changes it did not see.
    /// </summary>
    /// <exception cref="GraphAccessDeniedException">Graph answered 401 or 403; the message names the permission.</exception>
    public async IAsyncEnumerable<DirectoryChangeBatch> ReadAsync(DeltaReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var isFullRead = request.DeltaLink is null;
        var parser = new DeltaPageParser(request.Kind);
        var expected = PartialObjects.ExpectedProperties(SelectFor(request));
        var url = request.DeltaLink;
        var requestInfo = url is null ? InitialRequest(request) : LinkRequest(request.Kind, url);
        var pages = 0;
        while (true)
        {
            var (page, resync) = await FetchPageAsync(request.Kind, requestInfo, parser, cancellationToken).ConfigureAwait(false);
            pages++;
            if (resync is not null)
            {
                LogResyncRequired(logger, request.Kind, resync.Reason);
                yield return new DirectoryChangeBatch(request.Kind, isFullRead, [], resync);
                yield break;
            }
            var changes = await CompletePartialObjectsAsync(request, page!.Changes, expected, cancellationToken).ConfigureAwait(false);
            if (page.DeltaLink is { } deltaLink)
            {
                LogRoundCompleted(logger, request.Kind, pages, isFullRead);
                yield return new DirectoryChangeBatch(request.Kind, isFullRead, changes, new DeltaRoundCompleted(deltaLink));
                yield break;
            }
            if (string.Equals(page.NextLink, url, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Graph returned the same {request.Kind} nextLink it was fetched with; stopping to avoid a loop");
            }
            yield return new DirectoryChangeBatch(request.Kind, isFullRead, changes);
            url = page.NextLink!;
            requestInfo = LinkRequest(request.Kind, url);
        }
    }

    /// <summary>The most ids Graph accepts in one delta <c>$filter</c>.</summary>
    public const int MaxIdsPerFilter = 50;

    /// <summary>
    /// Reads the current attributes of specific objects, e.g. users whose scope changed through an assignment or a
    /// membership while the users themselves did not change. Uses the delta function's <c>id eq</c> filter, 50 ids per
    /// request, so re-evaluating n objects costs about n / 50 requests. Objects that no longer exist are not returned.
    /// </summary>
    public async IAsyncEnumerable<SourceObject> GetObjectsAsync(
        ObjectKind kind, IEnumerable<Identity.SourceId> ids, IReadOnlyCollection<string> attributes,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var select = SelectFor(new DeltaReadRequest(kind, null, attributes)).Where(a => !a.Equals("members", StringComparison.OrdinalIgnoreCase)).ToArray();
        foreach (var chunk in ids.Select(i => i.Value).Distinct(StringComparer.OrdinalIgnoreCase).Chunk(MaxIdsPerFilter))
        {
            var filter = string.Join(" or ", chunk.Select(id => $"id eq '{id.Replace("'", "''", StringComparison.Ordinal)}'"));
            var parser = new DeltaPageParser(kind);
            var requestInfo = kind == ObjectKind.User
                ? client.Users.Delta.ToGetRequestInformation(c => { c.QueryParameters.Select = select; c.QueryParameters.Filter = filter; })
                : client.Groups.Delta.ToGetRequestInformation(c => { c.QueryParameters.Select = select; c.QueryParameters.Filter = filter; });
            while (true)
            {
                var (page, resync) = await FetchPageAsync(kind, requestInfo, parser, cancellationToken).ConfigureAwait(false);
                if (resync is not null)
                {
                    throw new InvalidDataException($"Graph asked for a resync while reading {kind} objects by id: {resync.Reason}");
                }
                foreach (var upserted in page!.Changes.OfType<ObjectUpserted>())
                {
                    yield return upserted.Source;
                }
                if (page.NextLink is null)
                {
                    break;
                }
                requestInfo = LinkRequest(kind, page.NextLink);
            }
        }
    }

    /// <summary>
    /// The members of one group (users and groups): direct, or (<paramref name="transitive"/>) every one nested below
    /// it, up to 999 per request. What provisioning one group on demand reads instead of a delta round. An unknown
    /// group has no members.
    /// </summary>
    /// <exception cref="GraphAccessDeniedException">Graph answered 401 or 403; the message names GroupMember.Read.All.</exception>
    public async Task<IReadOnlyList<DirectoryMember>> GetMembersAsync(
        Identity.SourceId group, bool transitive = false, CancellationToken cancellationToken = default)
    {
        var members = new List<DirectoryMember>();
        var direct = client.Groups[group.Value].Members;
        var nested = client.Groups[group.Value].TransitiveMembers;
        try
        {
            var page = transitive
                ? await nested.GetAsync(c => { c.QueryParameters.Select = ["id"]; c.QueryParameters.Top = 999; }, cancellationToken).ConfigureAwait(false)
                : await direct.GetAsync(c => { c.QueryParameters.Select = ["id"]; c.QueryParameters.Top = 999; }, cancellationToken).ConfigureAwait(false);
            while (page is not null)
            {
                foreach (var member in page.Value ?? [])
                {
                    if (member.Id is { } id && member switch
                    {
                        Microsoft.Graph.Models.User => ObjectKind.User,
                        Microsoft.Graph.Models.Group => ObjectKind.Group,
                        _ => (ObjectKind?)null,
                    } is { } kind)
                    {
                        members.Add(new DirectoryMember(new Identity.SourceId(id), kind));
                    }
                }

                if (string.IsNullOrEmpty(page.OdataNextLink))
                {
                    break;
                }

                page = transitive
                    ? await nested.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await direct.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ODataError ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            return [];
        }
        catch (ApiException ex) when (ex.ResponseStatusCode is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden)
        {
            throw AccessDenied(ex, $"groups/{group.Value}/{(transitive ? "transitiveMembers" : "members")}", "GroupMember.Read.All");
        }

        return members;
    }

    /// <summary>
    /// The groups a user or group belongs to: directly, or (<paramref name="transitive"/>) through nested groups too,
    /// up to 999 per request. What provisioning one object on demand reads to decide its scope. An unknown object
    /// belongs to no group.
    /// </summary>
    /// <exception cref="GraphAccessDeniedException">Graph answered 401 or 403; the message names GroupMember.Read.All.</exception>
    public async Task<IReadOnlyList<Identity.SourceId>> GetGroupsOfAsync(
        ObjectKind kind, Identity.SourceId id, bool transitive, CancellationToken cancellationToken = default)
    {
        var groups = new List<Identity.SourceId>();
        var path = $"{(kind == ObjectKind.User ? "users" : "groups")}/{id.Value}/{(transitive ? "transitiveMemberOf" : "memberOf")}";
        try
        {
            var requestInfo = (kind, transitive) switch
            {
                (ObjectKind.User, false) => client.Users[id.Value].MemberOf.ToGetRequestInformation(c => { c.QueryParameters.Select = ["id"]; c.QueryParameters.Top = 999; }),
                (ObjectKind.User, true) => client.Users[id.Value].TransitiveMemberOf.ToGetRequestInformation(c => { c.QueryParameters.Select = ["id"]; c.QueryParameters.Top = 999; }),
                (_, false) => client.Groups[id.Value].MemberOf.ToGetRequestInformation(c => { c.QueryParameters.Select = ["id"]; c.QueryParameters.Top = 999; }),
                _ => client.Groups[id.Value].TransitiveMemberOf.ToGetRequestInformation(c => { c.QueryParameters.Select = ["id"]; c.QueryParameters.Top = 999; }),
            };
            while (true)
            {
                var page = await client.RequestAdapter.SendAsync(
                    requestInfo, Microsoft.Graph.Models.DirectoryObjectCollectionResponse.CreateFromDiscriminatorValue, ErrorMapping, cancellationToken).ConfigureAwait(false);
                foreach (var entry in page?.Value ?? [])
                {
                    if (entry is Microsoft.Graph.Models.Group { Id: { } groupId })
                    {
                        groups.Add(new Identity.SourceId(groupId));
                    }
                }

                if (string.IsNullOrEmpty(page?.OdataNextLink))
                {
                    break;
                }

                requestInfo = new RequestInformation { HttpMethod = Method.GET, URI = new Uri(page.OdataNextLink) };
            }
        }
        catch (ODataError ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            return [];
        }
        catch (ApiException ex) when (ex.ResponseStatusCode is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden)
        {
            throw AccessDenied(ex, path, "GroupMember.Read.All");
        }

        return groups;
    }

    /// <summary>
    /// Replaces the page's partial objects (updated objects Graph sent without some selected properties) with the
    /// objects read by id with the same selection, 50 per request, so that an absent property is never taken for a
    /// cleared one. Relationship changes the partial copy carried (e.g. a removed manager) are kept. An object that is
    /// gone by the time it is read is left out: its removal comes with a later round.
    /// See docs/decisions/004-partial-delta-objects.md.
    /// </summary>
    private async Task<IReadOnlyList<DirectoryChange>> CompletePartialObjectsAsync(
        DeltaReadRequest request, IReadOnlyList<DirectoryChange> changes, string[] expected, CancellationToken cancellationToken)
    {
        List<Identity.SourceId>? partial = null;
        foreach (var change in changes)
        {
            if (change is ObjectUpserted upserted && PartialObjects.IsPartial(upserted.Source, expected))
            {
                (partial ??= []).Add(upserted.Source.Id);
            }
        }
        if (partial is null)
        {
            return changes;
        }

        var complete = new Dictionary<string, SourceObject>(StringComparer.OrdinalIgnoreCase);
        await foreach (var source in GetObjectsAsync(request.Kind, partial, request.Attributes, cancellationToken).ConfigureAwait(false))
        {
            complete[source.Id.Value] = source;
        }
        LogPartialObjectsRead(logger, partial.Count, request.Kind, complete.Count);

        var result = new List<DirectoryChange>(changes.Count);
        foreach (var change in changes)
        {
            if (change is not ObjectUpserted upserted || !PartialObjects.IsPartial(upserted.Source, expected))
            {
                result.Add(change);
            }
            else if (complete.TryGetValue(upserted.Source.Id.Value, out var full))
            {
                var merged = full.Attributes.Concat(upserted.Source.Attributes.Where(a => !full.Attributes.ContainsKey(a.Key)));
                result.Add(new ObjectUpserted(SourceObject.Create(full.Id, full.Kind, merged)));
            }
        }
        return result;
    }

    private RequestInformation InitialRequest(DeltaReadRequest request)
    {
        var select = SelectFor(request);
        return request.Kind == ObjectKind.User
            ? client.Users.Delta.ToGetRequestInformation(c => c.QueryParameters.Select = select)
            : client.Groups.Delta.ToGetRequestInformation(c => c.QueryParameters.Select = select);
    }

    private RequestInformation LinkRequest(ObjectKind kind, string link) => kind == ObjectKind.User
        ? client.Users.Delta.WithUrl(link).ToGetRequestInformation()
        : client.Groups.Delta.WithUrl(link).ToGetRequestInformation();

    /// <summary>The $select list: the caller's attributes plus what the reader itself needs.</summary>
    internal static string[] SelectFor(DeltaReadRequest request)
    {
        var select = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "id" };
        foreach (var attribute in request.Attributes)
        {
            // Mapping paths may name a sub-attribute (e.g. "manager.id"); Graph selects the top-level property.
            var name = attribute.Split('.', 2)[0].Trim();
            if (name.Length > 0 && !name.Equals("members", StringComparison.OrdinalIgnoreCase))
            {
                select.Add(name);
            }
        }
        if (request.Kind == ObjectKind.User)
        {
            select.Add("accountEnabled"); // IsSoftDeleted depends on it
        }
        else
        {
            select.Add("members"); // membership edges come as members@delta
        }
        return [.. select];
    }

    private async Task<(DeltaPage? Page, DeltaResyncRequired? Resync)> FetchPageAsync(
        ObjectKind kind, RequestInformation requestInfo, DeltaPageParser parser, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await client.RequestAdapter.SendPrimitiveAsync<Stream>(requestInfo, ErrorMapping, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Graph returned an empty body for a {kind} delta page");
            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (parser.Parse(document.RootElement), null);
            }
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.Gone)
        {
            return (null, new DeltaResyncRequired($"Graph answered 410 Gone to the {kind} delta query and asks for a full synchronization"));
        }
        catch (ODataError ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.BadRequest
            && ex.Error?.Code is { } code && (code.Equals("syncStateNotFound", StringComparison.OrdinalIgnoreCase) || code.Equals("resyncRequired", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, new DeltaResyncRequired($"Graph no longer knows the stored {kind} delta token ({code}: {ex.Error.Message}); delta tokens expire after 7 days"));
        }
        catch (ApiException ex) when (ex.ResponseStatusCode is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden)
        {
            throw AccessDenied(ex, kind == ObjectKind.User ? "users/delta" : "groups/delta",
                kind == ObjectKind.User ? "User.Read.All" : "Group.Read.All and GroupMember.Read.All");
        }
    }

    /// <summary>Turns a 401/403 into an error that says what to grant.</summary>
    internal static GraphAccessDeniedException AccessDenied(ApiException ex, string resource, string permission)
    {
        var code = (ex as ODataError)?.Error?.Code;
        var detail = code is null ? "" : $" ({code})";
        var message = ex.ResponseStatusCode == (int)HttpStatusCode.Unauthorized
            ? $"Graph rejected ScimSync's credential when reading {resource} (401{detail}): check the tenant id, client id and secret or certificate, or the managed identity; the app needs the application permission {permission} with admin consent"
            : $"Graph denied reading {resource} (403{detail}): grant the app the Microsoft Graph application permission {permission} and give admin consent";
        return new GraphAccessDeniedException(message, ex.ResponseStatusCode, permission, ex);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph {Kind} delta needs a full resync: {Reason}")]
    private static partial void LogResyncRequired(ILogger logger, ObjectKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph sent {Count} partial {Kind} objects in a delta page; read {Read} of them by id with the full selection")]
    private static partial void LogPartialObjectsRead(ILogger logger, int count, ObjectKind kind, int read);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph {Kind} delta round completed in {Pages} pages (full read: {IsFullRead})")]
    private static partial void LogRoundCompleted(ILogger logger, ObjectKind kind, int pages, bool isFullRead);
}
