namespace ScimSync.Core.Scim.Http;

/// <summary>
/// Waits for the job's rate limiter before each attempt. It sits inside the resilience handler, so retries count
/// against the same cap as first attempts.
/// </summary>
internal sealed class ScimRateLimitHandler(ScimRateLimiters limiters) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ScimRequestContext.Of(request);
        using var lease = await limiters.For(context.Job, context.RequestsPerSecond).AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new HttpRequestException(HttpRequestError.Unknown, "The job's SCIM request rate limiter refused the request.");
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
