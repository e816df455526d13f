using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScimSync.Core.Diagnostics;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim.Http;

namespace ScimSync.Core.Tests.Diagnostics;

public sealed class ScimTelemetryHandlerTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddScimSyncMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();
    private readonly MeterListener _listener = new();
    private readonly List<(double Seconds, Dictionary<string, object?> Tags)> _recorded = [];

    public ScimTelemetryHandlerTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == ScimSyncMetrics.ScimRequestDuration)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _recorded.Add((value, copy));
        });
        _listener.Start();
    }

    [Fact]
    public async Task An_answered_request_is_measured_with_its_job_method_status_and_duration()
    {
        using var client = Client(_ =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            return new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        });

        using var request = Request(HttpMethod.Patch);
        using var response = await client.SendAsync(request);

        var (seconds, tags) = Assert.Single(_recorded);
        Assert.Equal(0.25, seconds, 3);
        Assert.Equal("job-a", tags["scimsync.job"]);
        Assert.Equal("PATCH", tags["http.request.method"]);
        Assert.Equal(429, tags["http.response.status_code"]);
        Assert.False(tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task A_request_without_an_answer_is_measured_with_the_error_instead_of_a_status()
    {
        using var client = Client(_ => throw new HttpRequestException("connection refused"));

        using var request = Request(HttpMethod.Post);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        var (_, tags) = Assert.Single(_recorded);
        Assert.Equal("POST", tags["http.request.method"]);
        Assert.Equal(nameof(HttpRequestException), tags["error.type"]);
        Assert.False(tags.ContainsKey("http.response.status_code"));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private HttpClient Client(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new(new ScimTelemetryHandler(_services.GetRequiredService<ScimSyncMetrics>(), _time) { InnerHandler = new Answering(answer) });

    private static HttpRequestMessage Request(HttpMethod method)
    {
        var request = new HttpRequestMessage(method, "https://example.atlassian.test/scim/Users");
        request.Options.Set(ScimRequestContext.Key, new ScimRequestContext(new JobId("job-a"), "Token", 10));
        return request;
    }

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
