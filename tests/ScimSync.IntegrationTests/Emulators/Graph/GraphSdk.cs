using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using ScimSync.Emulators.Graph;

namespace ScimSync.IntegrationTests.Emulators.Graph;

/// <summary>
/// The real Graph SDK pointed at the emulator the way graph-delta.md §6 describes: an AnonymousAuthenticationProvider
/// (the SDK's token provider sends no token to a loopback host) with an HttpClient that adds the emulator's token, the
/// SDK's default handlers, and the request adapter's BaseUrl set to the emulator.
/// </summary>
internal static class GraphSdk
{
    public static GraphServiceClient Client(GraphEmulator emulator)
    {
        var http = GraphClientFactory.Create();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", emulator.AccessToken);
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = emulator.BaseUrl,
        };
        return new GraphServiceClient(adapter, emulator.BaseUrl);
    }

    /// <summary>The <c>@removed.reason</c> of a delta entry, which the SDK leaves in AdditionalData (§6).</summary>
    public static string? RemovedReason(IDictionary<string, object>? additionalData) =>
        additionalData is not null && additionalData.TryGetValue("@removed", out var removed) && removed is UntypedObject annotation &&
        annotation.GetValue().TryGetValue("reason", out var reason) && reason is UntypedString text
            ? text.GetValue()
            : null;

    /// <summary>The entries of <c>members@delta</c> (or <c>manager@delta</c>): id, and whether it carries <c>@removed</c>.</summary>
    public static IReadOnlyList<(string Id, bool Removed, string? Type)> LinkDelta(IDictionary<string, object>? additionalData, string name = "members@delta")
    {
        if (additionalData is null || !additionalData.TryGetValue(name, out var value) || value is not UntypedArray array)
        {
            return [];
        }

        var entries = new List<(string, bool, string?)>();
        foreach (var node in array.GetValue())
        {
            var entry = ((UntypedObject)node).GetValue();
            var id = ((UntypedString)entry["id"]).GetValue()!;
            var type = entry.TryGetValue("@odata.type", out var t) ? ((UntypedString)t).GetValue() : null;
            entries.Add((id, entry.ContainsKey("@removed"), type));
        }

        return entries;
    }
}
