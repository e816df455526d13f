using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Tests.Scim;

public sealed class ScaleOptionsTests
{
    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddScimClient(options => options.UseJitter = false);
        services.AddHttpClient(ScimClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new AlwaysFoundHandler());
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(4, 2)]
    [InlineData(16, 0.5)]
    public void Each_instance_takes_an_equal_share_of_a_jobs_rate(int maxInstances, double share)
    {
        Assert.Equal(share, new ScaleOptions { MaxInstances = maxInstances }.ShareOf(8));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public void An_instance_count_out_of_range_fails_at_start_up_naming_the_setting(string maxInstances)
    {
        using var provider = Compose(new() { ["ScimSync:Scale:MaxInstances"] = maxInstances });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ScaleOptions>>().Value);

        Assert.Contains("ScimSync:Scale:MaxInstances", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_paces_requests_at_its_instances_share_of_the_jobs_rate()
    {
        // 8 requests per second shared by 4 instances leaves 2 per second here: of 5 requests, the first goes at once
        // and the others wait. Unshared, at 8 a second, all 5 would go within half a second.
        using var provider = Compose(new() { ["ScimSync:Scale:MaxInstances"] = "4", ["TargetToken"] = "token" });
        var target = new ScimTargetOptions
        {
            BaseUrl = new Uri("https://scim.example.test/scim/v2"),
            Profile = "generic-scim",
            TokenSetting = "TargetToken",
            RequestsPerSecond = 8,
        };
        var client = provider.GetRequiredService<ScimClientFactory>().Create(new JobId("paced"), target);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await client.GetAsync(ObjectKind.User, new TargetId("u1"));
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.3), $"5 requests at 2 per second took only {clock.Elapsed}.");
    }

    private sealed class AlwaysFoundHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(
                    """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"ada@contoso.com"}""",
                    Encoding.UTF8, "application/scim+json"),
            });
    }
}
