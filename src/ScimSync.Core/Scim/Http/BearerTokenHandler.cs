using System.Net.Http.Headers;

namespace ScimSync.Core.Scim.Http;

/// <summary>
/// Adds the job's bearer token to each attempt, read from the token provider by setting name. It sits inside the
/// resilience handler, so a retried attempt reads the token again (a rotated key takes effect at once).
/// </summary>
internal sealed class BearerTokenHandler(IScimTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ScimRequestContext.Of(request);
        var token = await tokens.GetTokenAsync(context.TokenSetting, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
