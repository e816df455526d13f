using ScimSync.Core.Identity;

namespace ScimSync.Core.Scim.Http;

/// <summary>Which job a SCIM request belongs to: its token setting and request rate. Travels in the request's options.</summary>
internal sealed record ScimRequestContext(JobId Job, string TokenSetting, double RequestsPerSecond)
{
    public static readonly HttpRequestOptionsKey<ScimRequestContext> Key = new("ScimSync.Scim.RequestContext");

    public static ScimRequestContext Of(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var context)
            ? context
            : throw new InvalidOperationException("SCIM requests must be sent through ScimClient, which says which job and token they belong to.");
}
