using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Http;

namespace ScimSync.Core.Tests.Scim;

public sealed class ScimErrorTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(429, ScimErrorClassification.Transient)]
    [InlineData(500, ScimErrorClassification.Transient)]
    [InlineData(502, ScimErrorClassification.Transient)]
    [InlineData(503, ScimErrorClassification.Transient)]
    [InlineData(504, ScimErrorClassification.Transient)]
    [InlineData(409, ScimErrorClassification.Conflict)]
    [InlineData(404, ScimErrorClassification.NotFound)]
    [InlineData(400, ScimErrorClassification.Invalid)]
    [InlineData(422, ScimErrorClassification.Invalid)]
    [InlineData(401, ScimErrorClassification.Unauthorized)]
    [InlineData(403, ScimErrorClassification.Unauthorized)]
    public void Statuses_are_classified_for_the_engine(int status, ScimErrorClassification expected)
    {
        Assert.Equal(expected, ScimException.Classify((HttpStatusCode)status));
    }

    [Fact]
    public void A_scim_error_body_gives_scim_type_and_detail()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Conflict);

        var (scimType, detail, traceId) = ScimErrorReader.Read(
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"Resource [USER]: with email[a@b.c] already exists."}""",
            response.Headers);

        Assert.Equal("uniqueness", scimType);
        Assert.Equal("Resource [USER]: with email[a@b.c] already exists.", detail);
        Assert.Null(traceId);
    }

    [Fact]
    public void An_atlassian_failure_body_gives_the_error_and_its_trace_id()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);

        var (_, detail, traceId) = ScimErrorReader.Read("""{"error":"Not authorized to access : scim/directory/d1/Users","traceId":"e40ee97f819a2465"}""", response.Headers);

        Assert.Equal("Not authorized to access : scim/directory/d1/Users", detail);
        Assert.Equal("e40ee97f819a2465", traceId);
    }

    [Fact]
    public void A_plain_text_body_becomes_the_detail_and_a_trace_header_the_trace_id()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway);
        response.Headers.Add("ATL-TraceId", "abc123");

        var (scimType, detail, traceId) = ScimErrorReader.Read("upstream connect error", response.Headers);

        Assert.Null(scimType);
        Assert.Equal("upstream connect error", detail);
        Assert.Equal("abc123", traceId);
    }

    [Theory]
    [InlineData("""{"error":"Invalid API token 'sk+live/ab=cd' for directory d1","traceId":"sk+live/ab=cd"}""")]
    [InlineData("""{"detail":"Bearer sk\u002Blive\/ab=cd is not valid"}""")]
    [InlineData("401 Unauthorized: token=sk%2Blive%2Fab%3Dcd")]
    [InlineData("{\"message\": \"unparsable, with sk\\u002Blive/ab=cd inside\"")]
    [Trait("Category", "Reliability")]
    public void A_token_the_target_echoes_in_its_error_is_removed_before_anything_keeps_the_text(string body)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);

        var (scimType, detail, traceId) = ScimErrorReader.Read(body, response.Headers, credential: "sk+live/ab=cd");

        foreach (var text in new[] { scimType, detail, traceId })
        {
            Assert.DoesNotContain("live", text ?? string.Empty, StringComparison.Ordinal);
        }

        Assert.Contains(ScimErrorReader.Redacted, detail, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_token_echoed_where_a_long_detail_is_cut_short_leaves_no_part_of_it()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);

        var (_, detail, _) = ScimErrorReader.Read(new string('x', 490) + " sk+live/ab=cd", response.Headers, credential: "sk+live/ab=cd");

        Assert.DoesNotContain("sk+", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_says_method_path_status_and_detail_and_nothing_of_the_token()
    {
        var error = new ScimException(ScimErrorClassification.Unauthorized, "GET", "Users", HttpStatusCode.Unauthorized, null, "Not authorized", "t1");

        Assert.Equal("SCIM GET Users failed (401 Unauthorized, Unauthorized): Not authorized [trace id t1]", error.Message);
    }

    [Fact]
    public void Retry_after_in_seconds_is_the_wait()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After", "7");

        Assert.Equal(TimeSpan.FromSeconds(7), ScimRetryRules.ServerRequestedDelay(response, Time));
    }

    [Fact]
    public void Retry_after_as_an_http_date_is_the_wait_until_then()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.Add("Retry-After", "Sat, 28 Nov 2026 12:00:30 GMT");

        Assert.Equal(TimeSpan.FromSeconds(30), ScimRetryRules.ServerRequestedDelay(response, Time));
    }

    [Fact]
    public void X_rate_limit_reset_in_iso_8601_is_the_wait_until_then()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("X-RateLimit-Reset", "2026-11-28T12:00:05Z");

        Assert.Equal(TimeSpan.FromSeconds(5), ScimRetryRules.ServerRequestedDelay(response, Time));
    }

    [Fact]
    public void A_429_without_headers_leaves_the_wait_to_exponential_backoff()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Null(ScimRetryRules.ServerRequestedDelay(response, Time));
    }

    [Theory]
    [InlineData("GET", 500, true)]
    [InlineData("PATCH", 502, true)]
    [InlineData("POST", 500, false)]
    [InlineData("POST", 503, false)]
    [InlineData("POST", 429, true)]
    [InlineData("GET", 400, false)]
    [InlineData("GET", 409, false)]
    public void Responses_are_retried_only_when_it_is_safe(string method, int status, bool retried)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://example.com/Users");
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        Assert.Equal(retried, ScimRetryRules.ShouldRetry(Outcome.FromResult(response), request, Time, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_post_answered_503_with_retry_after_was_not_acted_on_and_is_retried()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.com/Users");
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.Add("Retry-After", "1");

        Assert.True(ScimRetryRules.ShouldRetry(Outcome.FromResult(response), request, Time, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_wait_longer_than_the_maximum_is_not_retried_in_process()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.com/Users");
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After", "3600");

        Assert.False(ScimRetryRules.ShouldRetry(Outcome.FromResult(response), request, Time, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Timeouts_and_dropped_connections_retry_idempotent_calls_but_not_posts_refused_connections_retry_both()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "https://example.com/Users");
        using var post = new HttpRequestMessage(HttpMethod.Post, "https://example.com/Users");
        var timeout = Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException());
        var dropped = Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ResponseEnded, "dropped"));
        var refused = Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        var max = TimeSpan.FromMinutes(1);

        Assert.True(ScimRetryRules.ShouldRetry(timeout, get, Time, max));
        Assert.False(ScimRetryRules.ShouldRetry(timeout, post, Time, max));
        Assert.True(ScimRetryRules.ShouldRetry(dropped, get, Time, max));
        Assert.False(ScimRetryRules.ShouldRetry(dropped, post, Time, max));
        Assert.True(ScimRetryRules.ShouldRetry(refused, post, Time, max));
    }
}
