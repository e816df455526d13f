using System.Net.Http.Headers;
using System.Text.Json;

namespace ScimSync.Core.Scim;

/// <summary>
/// Reads whatever a target returns with an error into scimType, detail and trace id: a SCIM Error
/// (<c>{status, scimType, detail}</c>), Atlassian's <c>{error, traceId}</c> failures, Java-exception-shaped
/// bodies (<c>{message}</c>), or plain text.
/// </summary>
internal static class ScimErrorReader
{
    /// <summary>What stands in an error's text for the credential the target echoed.</summary>
    public const string Redacted = "[credential removed]";

    private const int MaxDetailLength = 500;

    // Headers targets use for a request or trace id, most specific first.
    private static readonly string[] TraceHeaders = ["ATL-TraceId", "X-Trace-Id", "X-Request-Id", "Request-Id", "X-Correlation-Id"];

    /// <param name="credential">
    /// The token the request carried. A target that echoes it in its error (some do, in a 401) must not get it into the
    /// provisioning log, the status page or the quarantine reason: it is replaced, before anything is cut short.
    /// </param>
    public static (string? ScimType, string? Detail, string? TraceId) Read(string? body, HttpResponseHeaders headers, string? credential = null)
    {
        string? scimType = null, detail = null, traceId = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    var root = document.RootElement;
                    scimType = StringOf(root, "scimType") ?? StringOf(root, "scimErrorType");
                    detail = StringOf(root, "detail") ?? StringOf(root, "error") ?? StringOf(root, "message")
                        ?? StringOf(root, "localizedMessage");
                    traceId = StringOf(root, "traceId") ?? StringOf(root, "trace_id") ?? StringOf(root, "requestId");
                }
            }
            catch (JsonException)
            {
                detail = body.Trim();
            }
        }

        traceId ??= TraceHeaders
            .Select(name => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null)
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
        if (!string.IsNullOrEmpty(credential))
        {
            scimType = WithoutCredential(scimType, credential);
            detail = WithoutCredential(detail, credential);
            traceId = WithoutCredential(traceId, credential);
        }

        if (detail is { Length: > MaxDetailLength })
        {
            detail = string.Concat(detail.AsSpan(0, MaxDetailLength), "…");
        }

        return (scimType, detail, traceId);
    }

    private static string? WithoutCredential(string? text, string credential)
    {
        if (text is null)
        {
            return null;
        }

        // As sent, and as a body or a URL would quote it.
        foreach (var form in (string[])[credential, Uri.EscapeDataString(credential), JsonEncodedText.Encode(credential).ToString()])
        {
            text = text.Replace(form, Redacted, StringComparison.Ordinal);
        }

        return text;
    }

    private static string? StringOf(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
            }
        }

        return null;
    }
}
