using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace ScimSync.Emulators.Faults;

/// <summary>Applies <see cref="FaultSettings"/> to each request and records it in <see cref="RequestCounters"/>.</summary>
internal sealed class FaultInjectionMiddleware(
    RequestDelegate next,
    FaultSettings faults,
    RequestCounters counters,
    FaultInjectionOptions options,
    IHostApplicationLifetime lifetime)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method.ToUpperInvariant();
        var route = RouteOf(context);
        var key = $"{method} {route}";
        var decision = faults.Decide(method, route);

        if (decision.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(decision.Delay, faults.TimeProvider, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                counters.Record(key, RequestOutcome.Hung);
                return;
            }
        }

        switch (decision.Kind)
        {
            case FaultKind.Throttle:
                counters.Record(key, RequestOutcome.Throttled);
                await ThrottleAsync(context, decision);
                return;
            case FaultKind.Fail:
                counters.Record(key, RequestOutcome.Failed);
                context.Response.StatusCode = decision.StatusCode;
                await options.WriteErrorBody(context, decision.StatusCode, "Injected server error: the service could not handle the request. You can retry the call.");
                return;
            case FaultKind.Hang:
                counters.Record(key, RequestOutcome.Hung);
                await HangAsync(context);
                return;
            case FaultKind.HangAfterProcessing:
                counters.Record(key, RequestOutcome.Hung);
                (await RunBufferedAsync(context)).Dispose();
                await HangAsync(context);
                return;
            case FaultKind.Drop:
                counters.Record(key, RequestOutcome.Dropped);
                context.Abort();
                return;
            case FaultKind.DropAfterProcessing:
                counters.Record(key, RequestOutcome.Dropped);
                (await RunBufferedAsync(context)).Dispose();
                context.Abort();
                return;
            case FaultKind.Malform:
                counters.Record(key, RequestOutcome.Malformed);
                await MalformAsync(context);
                return;
            case FaultKind.OmitId:
                counters.Record(key, RequestOutcome.Malformed);
                await AnswerWithoutIdAsync(context);
                return;
            case FaultKind.Ignore:
                counters.Record(key, RequestOutcome.Ignored);
                await AnswerUnchangedAsync(context);
                return;
            case FaultKind.IgnoreNoContent:
                counters.Record(key, RequestOutcome.Ignored);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            default:
                counters.Record(key, RequestOutcome.Served);
                await next(context);
                return;
        }
    }

    private string RouteOf(HttpContext context)
    {
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var route = pattern is null || pattern.StartsWith("{*", StringComparison.Ordinal)
            ? context.Request.Path.Value ?? "/"
            : "/" + pattern.TrimStart('/');
        if (options.RoutePrefix.Length > 0 && route.StartsWith(options.RoutePrefix, StringComparison.OrdinalIgnoreCase))
        {
            route = route[options.RoutePrefix.Length..];
        }

        return route.Length == 0 ? "/" : route;
    }

    private async Task ThrottleAsync(HttpContext context, FaultDecision decision)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (decision.ThrottleStyle == ThrottleHeaderStyle.RetryAfterSeconds)
        {
            // Whole seconds, rounded up so a client that waits exactly this long finds a free slot.
            var seconds = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds));
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        else if (decision.ThrottleStyle == ThrottleHeaderStyle.RetryAfterDecimal)
        {
            var seconds = Math.Max(0.001, decision.RetryAfter.TotalSeconds);
            response.Headers.RetryAfter = seconds.ToString("0.000", CultureInfo.InvariantCulture);
        }
        else
        {
            var reset = faults.TimeProvider.GetUtcNow() + decision.RetryAfter;
            response.Headers["X-RateLimit-Reset"] = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            response.Headers["X-RateLimit-Remaining"] = "0";
            if (decision.RateLimit > 0)
            {
                response.Headers["X-RateLimit-Limit"] = decision.RateLimit.ToString(CultureInfo.InvariantCulture);
            }
        }

        options.AddThrottleHeaders?.Invoke(context);
        await options.WriteErrorBody(context, StatusCodes.Status429TooManyRequests, "Too many requests: the rate limit was exceeded. Retry later.");
    }

    /// <summary>Answers with what a GET of the same resource returns now, so the write is acknowledged and not carried out.</summary>
    private static async Task AnswerUnchangedAsync(HttpContext context)
    {
        var request = context.Request;
        using var get = new HttpRequestMessage(HttpMethod.Get, $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}");
        if (request.Headers.Authorization.Count > 0)
        {
            get.Headers.TryAddWithoutValidation("Authorization", request.Headers.Authorization.ToString());
        }

        using var answer = await SelfClient.SendAsync(get, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
        await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static readonly HttpClient SelfClient = new();

    private async Task HangAsync(HttpContext context)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the emulator is stopping: end without an answer either way.
        }

        context.Abort();
    }

    private async Task<MemoryStream> RunBufferedAsync(HttpContext context)
    {
        var original = context.Response.Body;
        var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        return buffer;
    }

    private async Task AnswerWithoutIdAsync(HttpContext context)
    {
        using var buffer = await RunBufferedAsync(context);
        var body = buffer.Length > 0 ? JsonNode.Parse(buffer.ToArray()) as JsonObject : null;
        body?.Remove("id");
        var answer = System.Text.Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "{}");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = answer.Length;
        context.Response.ContentType = "application/scim+json";
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private async Task MalformAsync(HttpContext context)
    {
        using var buffer = await RunBufferedAsync(context);
        var body = buffer.ToArray();

        // Half of a JSON object or array is never valid JSON; an empty answer gets an unterminated one.
        var broken = body.Length >= 2 ? body.AsMemory(0, body.Length / 2) : "{\"schemas\":["u8.ToArray();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = broken.Length;
        if (string.IsNullOrEmpty(context.Response.ContentType))
        {
            context.Response.ContentType = "application/json";
        }

        await context.Response.Body.WriteAsync(broken, context.RequestAborted);
    }
}
