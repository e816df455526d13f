using System.Net;
using System.Net.Sockets;
using System.Text;
using ScimSync.Core.Directory;
using ScimSync.Core.Scim;

namespace ScimSync.IntegrationTests.Scim;

/// <summary>A target that answers with a redirect: the client refuses to follow it and says where it pointed.</summary>
public sealed class ScimClientRedirectTests
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
