using System.Net;
using System.Net.Sockets;
using System.Text;
using ScimSync.Core.Directory;
using ScimSync.Core.Scim;

namespace ScimSync.IntegrationTests.Scim;

/// <summary>Targets that answer in ways the client must not go along with, each served raw over a loopback socket.</summary>
[Trait("Category", "Reliability")]
public sealed class ScimClientHostileTargetTests
{
    [Fact]
    public async Task A_redirect_is_not_followed_and_the_error_names_where_it_pointed()
    {
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var elsewhereUrl = $"http://127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}/scim/moved";
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var answering = AnswerOnceAsync(target, $"HTTP/1.1 307 Temporary Redirect\r\nLocation: {elsewhereUrl}/Users\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        await using var host = new ScimTestHost("token", options => options.MaxRetryAttempts = 0);
        var client = host.Client(new Uri($"http://127.0.0.1:{((IPEndPoint)target.LocalEndpoint).Port}/scim/"), "generic-scim");

        var error = await Assert.ThrowsAsync<ScimException>(() => client.FindAsync(ObjectKind.User, "userName", "redirected@example.com"));

        await answering;
        Assert.Contains($"redirected the request to {elsewhereUrl}/Users", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not follow redirects", error.Message, StringComparison.Ordinal);
        Assert.False(elsewhere.Pending(), "the client must not send the request where the redirect pointed");
    }

    [Fact]
    public async Task An_answer_larger_than_the_client_reads_is_refused_without_buffering_it()
    {
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var answering = AnswerOnceAsync(target,
            $"HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: {Core.Scim.ScimClient.MaxResponseBytes + 1}\r\nConnection: close\r\n\r\n{{\"Resources\":[");
        await using var host = new ScimTestHost("token", options => options.MaxRetryAttempts = 0);
        var client = host.Client(new Uri($"http://127.0.0.1:{((IPEndPoint)target.LocalEndpoint).Port}/scim/"), "generic-scim");

        var error = await Assert.ThrowsAsync<ScimException>(() => client.FindAsync(ObjectKind.User, "userName", "huge@example.com"));

        await answering;
        Assert.Equal(ScimErrorClassification.Invalid, error.Classification);
        Assert.Equal("responseTooLarge", error.ScimType);
    }

    [Fact]
    public async Task A_target_that_echoes_the_token_in_its_refusal_does_not_get_it_into_the_error()
    {
        const string token = "sk+live/Echo=Token-0123456789";
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var body = $$"""{"error":"The API key '{{token}}' is not valid for this directory","traceId":"{{Uri.EscapeDataString(token)}}"}""";
        var answering = AnswerOnceAsync(target,
            $"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");
        await using var host = new ScimTestHost(token, options => options.MaxRetryAttempts = 0);
        var client = host.Client(new Uri($"http://127.0.0.1:{((IPEndPoint)target.LocalEndpoint).Port}/scim/"), "generic-scim");

        var error = await Assert.ThrowsAsync<ScimException>(() => client.FindAsync(ObjectKind.User, "userName", "echo@example.com"));

        await answering;
        Assert.Equal(ScimErrorClassification.Unauthorized, error.Classification);
        Assert.Equal($"The API key '{ScimErrorReader.Redacted}' is not valid for this directory", error.Detail);
        Assert.DoesNotContain("Echo", error.Message + error.TraceId, StringComparison.Ordinal);
    }

    private static async Task AnswerOnceAsync(TcpListener listener, string response)
    {
        using var connection = await listener.AcceptTcpClientAsync();
        var stream = connection.GetStream();
        var buffer = new byte[64 * 1024];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        await stream.FlushAsync();
    }
}
