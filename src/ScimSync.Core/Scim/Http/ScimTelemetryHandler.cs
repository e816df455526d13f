using ScimSync.Core.Diagnostics;

namespace ScimSync.Core.Scim.Http;

/// <summary>
/// Measures each SCIM request attempt by method and status. It is the innermost handler, so a retried request
/// counts once per attempt and a 429 the retry absorbed still shows in the metrics.
/// </summary>
internal sealed class ScimTelemetryHandler(ScimSyncMetrics metrics, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var job = ScimRequestContext.Of(request).Job;
        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.RecordScimRequest(job, request.Method.Method, (int)response.StatusCode, null, timeProvider.GetElapsedTime(started));
            return response;
        }
        catch (Exception exception)
        {
            metrics.RecordScimRequest(job, request.Method.Method, null, exception.GetType().Name, timeProvider.GetElapsedTime(started));
            throw;
        }
    }
}
